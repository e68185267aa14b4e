import { InFlightSweeper } from '../domain/catalogue/in-flight-sweeper.ts';
import { catalogueStore as store } from './catalogue-store.ts';
import { auditTrail as audit } from './core.ts';
import { objectStore as objects } from './storage.ts';

/** The sweeper of versions left in flight, run by the schedule. */
export const inFlightSweeper = new InFlightSweeper({ store, objects, audit });

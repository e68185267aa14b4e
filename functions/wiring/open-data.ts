import { OpenDataService } from '../domain/catalogue/open-data-service.ts';
import { catalogueStore as store } from './catalogue-store.ts';
import { auditTrail as audit, clock } from './core.ts';
import { identityStore as identity } from './identity.ts';
import { objectStore as objects } from './storage.ts';

/** Open data of this process: listing, downloads, DCAT-AP, opening after a delay. */
export const openDataService = new OpenDataService({ store, objects, identity, audit, clock });

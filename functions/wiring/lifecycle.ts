import { DynamoDutyStore } from '../adapters/dynamo/duty-store.ts';
import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { LicenceLifecycle } from '../domain/licences/lifecycle-service.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { auditTrail as audit, clock } from './core.ts';
import { documentClient, tableName } from './table.ts';

/** Duties, suspension and expiry of licences in this process. */
export const licenceLifecycle = new LicenceLifecycle({
  duties: new DynamoDutyStore(documentClient, tableName),
  licences: new DynamoLicenceStore(documentClient, tableName),
  catalogue,
  audit,
  clock,
});

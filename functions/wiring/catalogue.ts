import { DynamoAccessStore } from '../adapters/dynamo/access-store.ts';
import { DynamoDatasetChangeStore } from '../adapters/dynamo/dataset-change-store.ts';
import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { CatalogueService } from '../domain/catalogue/catalogue-service.ts';
import { DatasetChangeService } from '../domain/catalogue/dataset-change-service.ts';
import { VersionsService } from '../domain/catalogue/versions-service.ts';
import { contractStore as contracts } from './contract-store.ts';
import { auditTrail as audit, clock, ids } from './core.ts';
import { identityStore as identity } from './identity.ts';
import { objectStore as objects } from './storage.ts';
import { catalogueStore } from './catalogue-store.ts';
import { documentClient, tableName } from './table.ts';


const changes = new DynamoDatasetChangeStore(documentClient, tableName);

/** Catalogue, versions and privacy change requests of this process. */
export const catalogueService = new CatalogueService({ store: catalogueStore, identity, contracts, changes, audit, clock, ids });
export const datasetChangeService = new DatasetChangeService({ changes, store: catalogueStore, audit, clock });
export const versionsService = new VersionsService({ store: catalogueStore, contracts, variants: new DynamoAccessStore(documentClient, tableName), licensees: new DynamoLicenceStore(documentClient, tableName), objects, catalogue: catalogueService, audit, clock });
export { catalogueStore };

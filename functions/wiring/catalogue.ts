import { DynamoCatalogueStore } from '../adapters/dynamo/catalogue-store.ts';
import { CatalogueService } from '../domain/catalogue/catalogue-service.ts';
import { IngestService } from '../domain/catalogue/ingest-service.ts';
import { OpenDataService } from '../domain/catalogue/open-data-service.ts';
import { VersionsService } from '../domain/catalogue/versions-service.ts';
import { contractStore as contracts } from './contracts.ts';
import { auditTrail as audit, clock, ids } from './core.ts';
import { identityStore as identity } from './identity.ts';
import { objectStore as objects } from './storage.ts';
import { documentClient, tableName } from './table.ts';

const store = new DynamoCatalogueStore(documentClient, tableName);

/** Catalogue, versions, ingest and open data of this process. */
export const catalogueService = new CatalogueService({ store, identity, contracts, audit, clock, ids });
export const versionsService = new VersionsService({ store, objects, catalogue: catalogueService, audit, clock });
export const ingestService = new IngestService({ store, objects, contracts, audit, clock });
export const openDataService = new OpenDataService({ store, objects, identity, audit, clock });

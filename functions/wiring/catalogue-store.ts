import { DynamoCatalogueStore } from '../adapters/dynamo/catalogue-store.ts';
import { documentClient, tableName } from './table.ts';

/** Datasets and versions in the table (no bucket access), shared by catalogue, licences and duties. */
export const catalogueStore = new DynamoCatalogueStore(documentClient, tableName);

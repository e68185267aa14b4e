import { QueryService } from '../domain/query/query-service.ts';
import { accessService as access, accessStore } from './access.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { queryEngine as engine } from './query-engine.ts';

/** Records queries of this process. */
export const queryService = new QueryService({ catalogue, engine, access, accessStore });

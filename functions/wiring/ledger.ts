import { DynamoIdempotencyStore } from '../adapters/dynamo/idempotency-store.ts';
import { DynamoLedgerStore } from '../adapters/dynamo/ledger-store.ts';
import { LedgerService } from '../domain/ledger/ledger-service.ts';
import { auditTrail as audit, clock, ids } from './core.ts';
import { identityStore as identity } from './identity.ts';
import { documentClient, tableName } from './table.ts';

/** Credits of this process, without the signing key (the schedule releases escrows). */
export const ledgerService = new LedgerService({
  store: new DynamoLedgerStore(documentClient, tableName),
  idempotency: new DynamoIdempotencyStore(documentClient, tableName),
  identity,
  audit,
  clock,
  ids,
});

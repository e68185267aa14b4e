import { DynamoBarterStore } from '../adapters/dynamo/barter-store.ts';
import { DynamoDutyStore } from '../adapters/dynamo/duty-store.ts';
import { DynamoIdempotencyStore } from '../adapters/dynamo/idempotency-store.ts';
import { DynamoLedgerStore } from '../adapters/dynamo/ledger-store.ts';
import { BarterService } from '../domain/licences/barter-service.ts';
import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { DynamoSignatureContextReader } from '../adapters/dynamo/signature-context-reader.ts';
import { LedgerService } from '../domain/ledger/ledger-service.ts';
import { LicenceService } from '../domain/licences/licence-service.ts';
import { OfferService } from '../domain/licences/offer-service.ts';
import { PolicyPreviewService } from '../domain/licences/policy-preview.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { auditTrail as audit, clock, ids } from './core.ts';
import { identityStore as identity } from './identity.ts';
import { licenceLifecycle } from './lifecycle.ts';
import { policyStore as policies } from './policy-store.ts';
import { signer } from './signer.ts';
import { documentClient, tableName } from './table.ts';

export const licenceStore = new DynamoLicenceStore(documentClient, tableName);
export const ledgerStore = new DynamoLedgerStore(documentClient, tableName);
const idempotency = new DynamoIdempotencyStore(documentClient, tableName);

/** Credits of this process. */
export const ledgerService = new LedgerService({ store: ledgerStore, idempotency, identity, audit, clock, ids });

/** Offers and licences of this process. */
export const offerService = new OfferService({ store: licenceStore, policies, catalogue, identity, signer, audit, clock, ids });
/** Previews of a draft territory policy against the open offers. */
export const policyPreviewService = new PolicyPreviewService({ store: licenceStore, policies, catalogue });
export const licenceService = new LicenceService({
  store: licenceStore,
  ledger: ledgerStore,
  duties: new DynamoDutyStore(documentClient, tableName),
  idempotency,
  policies,
  catalogue,
  identity,
  signatureContext: new DynamoSignatureContextReader(documentClient, tableName),
  signer,
  audit,
  clock,
  ids,
});
export { licenceLifecycle };
export { policies };

/** Barters of this process. */
export const barterService = new BarterService({
  store: new DynamoBarterStore(documentClient, tableName),
  licences: licenceService,
  offers: licenceStore,
  catalogue,
  identity,
  idempotency,
  audit,
  clock,
  ids,
});

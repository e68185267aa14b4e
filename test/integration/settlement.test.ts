import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoBarterStore } from '../../functions/adapters/dynamo/barter-store.ts';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { DynamoIdempotencyStore } from '../../functions/adapters/dynamo/idempotency-store.ts';
import { DynamoContractStore } from '../../functions/adapters/dynamo/contract-store.ts';
import { DynamoDutyStore } from '../../functions/adapters/dynamo/duty-store.ts';
import { DynamoDatasetChangeStore } from '../../functions/adapters/dynamo/dataset-change-store.ts';
import { DynamoLedgerStore } from '../../functions/adapters/dynamo/ledger-store.ts';
import { DynamoLicenceStore } from '../../functions/adapters/dynamo/licence-store.ts';
import { DynamoPolicyStore } from '../../functions/adapters/dynamo/policy-store.ts';
import { DynamoSignatureContextReader } from '../../functions/adapters/dynamo/signature-context-reader.ts';
import { LocalSigner } from '../../functions/adapters/signing/local-signer.ts';
import { AuditTrail } from '../../functions/domain/audit/audit-trail.ts';
import { CatalogueService } from '../../functions/domain/catalogue/catalogue-service.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import { LedgerService } from '../../functions/domain/ledger/ledger-service.ts';
import { BarterService } from '../../functions/domain/licences/barter-service.ts';
import { LicenceService } from '../../functions/domain/licences/licence-service.ts';
import { OfferService } from '../../functions/domain/licences/offer-service.ts';
import type { Principal } from '../../functions/domain/model.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { cancelTransactions } from '../support/transaction-conflicts.ts';
import { bootstrapOfficer, servicesOn } from '../support/services.ts';

describe('settlement under concurrency on DynamoDB Local', () => {
  let table: TestTable;
  let officer: Principal;
  let firm: Principal;
  let licences: LicenceService;
  let offers: OfferService;
  let ledger: LedgerService;
  let datasetId: string;
  let operator: Principal;
  let barters: BarterService;
  let catalogue: CatalogueService;

  beforeAll(async () => {
    table = await createTestTable();
    const s = servicesOn(table);
    ({ officer } = await bootstrapOfficer(s.identity));
    const dsp = await s.identity.createPartner(officer, { name: 'Régie', kind: 'dsp', contactEmail: 'r@regie.example' });
    const firmAdmin = await s.identity.createPartner(officer, { name: 'Firme', kind: 'private', contactEmail: 'f@firme.example' });
    operator = (await s.identity.authenticate(`Bearer ${dsp.adminKey.key}`))!;
    firm = (await s.identity.authenticate(`Bearer ${firmAdmin.adminKey.key}`))!;
    const ids = ulidGenerator(systemClock);
    const audit = new AuditTrail({ clock: systemClock, ids });
    const catalogueStore = new DynamoCatalogueStore(table.db, table.tableName);
    const store = new DynamoLicenceStore(table.db, table.tableName);
    const ledgerStore = new DynamoLedgerStore(table.db, table.tableName);
    const idempotency = new DynamoIdempotencyStore(table.db, table.tableName);
    const policies = new DynamoPolicyStore(table.db, table.tableName);
    const signer = new LocalSigner(join(mkdtempSync(join(tmpdir(), 'sig-')), 'k.pem'));
    const deps = { store, policies, catalogue: catalogueStore, identity: s.identityStore, signer, audit, clock: systemClock, ids };
    offers = new OfferService(deps);
    // 60 requests of one firm on one offer: the pending-request caps are not what this file is about.
    licences = new LicenceService({ ...deps, ledger: ledgerStore, idempotency, duties: new DynamoDutyStore(table.db, table.tableName), signatureContext: new DynamoSignatureContextReader(table.db, table.tableName), requestCaps: { perOffer: 500, total: 500 } });
    ledger = new LedgerService({ store: ledgerStore, idempotency, identity: s.identityStore, audit, clock: systemClock, ids });
    barters = new BarterService({ store: new DynamoBarterStore(table.db, table.tableName), licences, offers: store, catalogue: catalogueStore, identity: s.identityStore, idempotency, audit, clock: systemClock, ids });
    catalogue = new CatalogueService({ store: catalogueStore, identity: s.identityStore, contracts: new DynamoContractStore(table.db, table.tableName), changes: new DynamoDatasetChangeStore(table.db, table.tableName), audit, clock: systemClock, ids });
    datasetId = (await catalogue.create(operator, { title: 'Comptages', description: 'x', theme: 'mobility', keywords: [], classification: 'shared', format: 'csv', schema: { fields: [{ name: 'n', type: 'integer' }] } })).id;
    const offer = await offers.create(operator, { datasetId, template: 'territorial-restricted', clauses: [], price: { credits: 10 }, approval: 'auto', audience: ['private'] });
    // One at a time: the requests share the firm's pending counters, and only the signatures are under test here.
    for (let i = 0; i < 60; i++) pending.push((await licences.request(firm, { offerId: offer.id, purpose: 'planning' })).id);
    await ledger.grant(officer, { partnerId: firm.partnerId, credits: 150 }, `grant-${randomUUID()}`);
  }, 120_000);
  afterAll(() => table.drop());

  let pending: string[] = [];

  /** An error and its causes, one line each. */
  const causesOf = (error: unknown): string[] => (error instanceof Error ? [`${error.name}: ${error.message}`, ...causesOf(error.cause)] : []);

  const ledgerSumsToZero = async () => {
    const items = (await table.db.send(new ScanCommand({ TableName: table.tableName, FilterExpression: 'begins_with(pk, :a) AND sk = :b', ExpressionAttributeValues: { ':a': 'ACCOUNT#', ':b': 'BALANCE' } }))).Items ?? [];
    return items.reduce((sum, i) => sum + Number(i.balance), 0);
  };

  it('activates exactly as many priced licences as the credits pay for, even with injected transaction conflicts', async () => {
    // Arrange: a quarter of all transactions fail as contended ones do on real DynamoDB
    const conflicts = cancelTransactions(table, () => Math.random() < 0.25);
    const balances: number[] = [];
    // A sample that fails (a loaded emulator) is no balance: only the ones read are checked.
    const watcher = setInterval(() => void ledger.statement(firm, undefined, { limit: 1 }).then((l) => balances.push(l.balance), () => undefined), 20);

    // Act: 60 signatures at once, 10 credits each, 150 credits available: four contenders per licence paid for
    const outcomes = await Promise.allSettled(pending.map((id) => licences.sign(firm, id)));
    clearInterval(watcher);
    conflicts.remove();

    // Assert
    const active = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refusals = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as { code?: string }).code);
    expect(conflicts.cancelled()).toBeGreaterThan(0);
    expect(active).toBe(15);
    // Any other refusal is shown with its causes: an emulator's silence reads differently from a wrong answer.
    const unexpected = outcomes.flatMap((o) => (o.status === 'rejected' && !['insufficient_credits', 'concurrent_change'].includes((o.reason as { code?: string }).code ?? '') ? [causesOf(o.reason)] : []));
    expect(unexpected).toEqual([]);
    expect((await ledger.statement(firm, undefined, {})).balance).toBe(0);
    expect(balances.every((b) => b >= 0)).toBe(true);
    expect(await ledgerSumsToZero()).toBe(0);
    const activeLicences = (await table.db.send(new QueryCommand({ TableName: table.tableName, IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :p', ExpressionAttributeValues: { ':p': 'LICENCESTATE#active' } }))).Count;
    expect(activeLicences).toBe(15);
  }, 180_000);

  it('leaves neither licence nor debit when the settlement write fails', async () => {
    // Arrange: credits for one more licence, and a store failure injected into the next transaction
    await ledger.grant(officer, { partnerId: firm.partnerId, credits: 10 }, `grant-${randomUUID()}`);
    const offer = (await offers.list(firm, datasetId, {})).items[0]!;
    const { id } = await licences.request(firm, { offerId: offer.id, purpose: 'planning' });
    table.db.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') throw Object.assign(new Error('We currently do not have sufficient capacity'), { name: 'InternalServerError' });
        return next(args);
      },
      { step: 'initialize', name: 'failOnce' },
    );

    // Act
    const failed = await licences.sign(firm, id).catch((e: unknown) => e);
    table.db.middlewareStack.remove('failOnce');

    // Assert: a hidden 5xx, and nothing moved; then the retry settles once
    expect(failed).toMatchObject({ kind: 'unavailable' });
    expect((await licences.get(firm, id)).state).toBe('awaiting_signature');
    expect((await ledger.statement(firm, undefined, {})).balance).toBe(10);
    expect((await licences.sign(firm, id)).state).toBe('active');
    expect((await ledger.statement(firm, undefined, {})).balance).toBe(0);
    expect(await ledgerSumsToZero()).toBe(0);
  });

  it('settles a barter once under 100 parallel acceptances with injected conflicts; callers see success or 409, never a 500', async () => {
    // Arrange: the firm offers its own dataset and proposes it against the operator's
    const firmData = await catalogue.create(firm, { title: 'Trajets', description: 'x', theme: 'mobility', keywords: [], classification: 'shared', format: 'csv', schema: { fields: [{ name: 'n', type: 'integer' }] } });
    const give = await offers.create(firm, { datasetId: firmData.id, template: 'territorial-restricted', clauses: [], approval: 'auto', audience: ['dsp'] });
    const want = await offers.create(operator, { datasetId, template: 'territorial-restricted', clauses: [], approval: 'auto', audience: ['private'] });
    const barter = await barters.propose(firm, { offerId: want.id, give: { offerId: give.id }, purpose: 'planning' }, undefined);
    const conflicts = cancelTransactions(table, () => Math.random() < 0.3);

    // Act
    const outcomes = await Promise.allSettled(Array.from({ length: 100 }, () => barters.accept(operator, barter.id, { purpose: 'public-service' }, undefined)));
    conflicts.remove();

    // Assert
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const codes = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as { kind?: string }).kind);
    expect(codes.every((k) => k === 'conflict')).toBe(true);
    const settled = await barters.get(firm, barter.id);
    expect(settled.state).toBe('accepted');
    const both = await Promise.all([licences.get(firm, settled.want.licenceId!), licences.get(operator, settled.give.licenceId!)]);
    expect(both.map((l) => l.state)).toEqual(['active', 'active']);
    expect(await ledgerSumsToZero()).toBe(0);
  }, 120_000);
});

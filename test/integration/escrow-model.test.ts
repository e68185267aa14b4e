import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { addDuration } from '../../contracts/calendar.ts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCatalogueStore } from '../../functions/adapters/dynamo/catalogue-store.ts';
import { DynamoContractStore } from '../../functions/adapters/dynamo/contract-store.ts';
import { DynamoDutyStore } from '../../functions/adapters/dynamo/duty-store.ts';
import { DynamoDatasetChangeStore } from '../../functions/adapters/dynamo/dataset-change-store.ts';
import { DynamoIdempotencyStore } from '../../functions/adapters/dynamo/idempotency-store.ts';
import { DynamoLedgerStore } from '../../functions/adapters/dynamo/ledger-store.ts';
import { DynamoLicenceStore } from '../../functions/adapters/dynamo/licence-store.ts';
import { DynamoPolicyStore } from '../../functions/adapters/dynamo/policy-store.ts';
import { DynamoSignatureContextReader } from '../../functions/adapters/dynamo/signature-context-reader.ts';
import { LocalSigner } from '../../functions/adapters/signing/local-signer.ts';
import { AuditTrail, systemActor } from '../../functions/domain/audit/audit-trail.ts';
import { CatalogueService } from '../../functions/domain/catalogue/catalogue-service.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import { LedgerService } from '../../functions/domain/ledger/ledger-service.ts';
import { escrowAccount, partnerAccount } from '../../functions/domain/ledger/movement.ts';
import { LicenceService } from '../../functions/domain/licences/licence-service.ts';
import { LicenceLifecycle } from '../../functions/domain/licences/lifecycle-service.ts';
import { OfferService } from '../../functions/domain/licences/offer-service.ts';
import type { Principal } from '../../functions/domain/model.ts';
import type { Clock } from '../../functions/ports/time.ts';
import type { LicenceState } from '../../schemas/index.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';
import { bootstrapOfficer, servicesOn } from '../support/services.ts';

const HOUR = 3600_000;
const PRICES = [10, 25] as const;
/** The licensee's credits at the start of a run: enough for a few purchases, not for every one. */
const STARTING_CREDITS = 60;

/** A clock the test moves forward, shared by every service of a world. */
class ManualClock implements Clock {
  constructor(private at: number) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** The production licensing and ledger services on a fresh table, one licensor, one licensee and priced offers. */
async function world() {
  const table = await createTestTable();
  const s = servicesOn(table);
  const { officer } = await bootstrapOfficer(s.identity);
  const dsp = await s.identity.createPartner(officer, { name: 'Régie', kind: 'dsp', contactEmail: 'r@regie.example' });
  const firm = await s.identity.createPartner(officer, { name: 'Firme', kind: 'private', contactEmail: 'f@firme.example' });
  const licensor = (await s.identity.authenticate(`Bearer ${dsp.adminKey.key}`))!;
  const licensee = (await s.identity.authenticate(`Bearer ${firm.adminKey.key}`))!;
  // A spring date, far from a daylight-saving change, so that a day is always 24 hours here.
  const clock = new ManualClock(Date.parse('2027-05-03T08:00:00.000Z'));
  const ids = ulidGenerator(systemClock);
  const audit = new AuditTrail({ clock, ids });
  const catalogueStore = new DynamoCatalogueStore(table.db, table.tableName);
  const store = new DynamoLicenceStore(table.db, table.tableName);
  const ledgerStore = new DynamoLedgerStore(table.db, table.tableName);
  const duties = new DynamoDutyStore(table.db, table.tableName);
  const idempotency = new DynamoIdempotencyStore(table.db, table.tableName);
  const signer = new LocalSigner(join(mkdtempSync(join(tmpdir(), 'sig-')), 'k.pem'));
  const deps = { store, policies: new DynamoPolicyStore(table.db, table.tableName), catalogue: catalogueStore, identity: s.identityStore, signer, audit, clock, ids };
  const offers = new OfferService(deps);
  const licences = new LicenceService({ ...deps, ledger: ledgerStore, duties, idempotency, signatureContext: new DynamoSignatureContextReader(table.db, table.tableName) });
  const ledger = new LedgerService({ store: ledgerStore, idempotency, identity: s.identityStore, audit, clock, ids });
  const lifecycle = new LicenceLifecycle({ duties, licences: store, catalogue: catalogueStore, audit, clock });
  const catalogue = new CatalogueService({ store: catalogueStore, identity: s.identityStore, contracts: new DynamoContractStore(table.db, table.tableName), changes: new DynamoDatasetChangeStore(table.db, table.tableName), audit, clock, ids });
  const dataset = await catalogue.create(licensor, { title: 'Comptages', description: 'x', theme: 'mobility', keywords: [], classification: 'shared', format: 'csv', schema: { fields: [{ name: 'n', type: 'integer' }] } });
  const offerOf = new Map<number, string>();
  for (const credits of PRICES) {
    // Two days of validity, so that expiry falls within a run.
    const offer = await offers.create(licensor, { datasetId: dataset.id, template: 'territorial-restricted', clauses: [{ kind: 'validity', params: { maxDuration: 'P2D' } }], price: { credits }, approval: 'auto', audience: ['private'] });
    offerOf.set(credits, offer.id);
  }
  await ledger.grant(officer, { partnerId: licensee.partnerId, credits: STARTING_CREDITS }, undefined);
  return { table, clock, audit, store, ledgerStore, duties, offers, licences, ledger, lifecycle, officer, licensor, licensee, datasetId: dataset.id, offerOf };
}
type World = Awaited<ReturnType<typeof world>>;

/** The sum of every balance in the table, issuance included: double entry keeps it at zero. */
async function sumOfBalances(table: TestTable): Promise<number> {
  let sum = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await table.db.send(
      new ScanCommand({ TableName: table.tableName, FilterExpression: 'begins_with(pk, :a) AND sk = :b', ExpressionAttributeValues: { ':a': 'ACCOUNT#', ':b': 'BALANCE' }, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    sum += (out.Items ?? []).reduce((s, i) => s + Number(i.balance), 0);
    start = out.LastEvaluatedKey;
  } while (start);
  return sum;
}

type EscrowStatus = 'none' | 'held' | 'released' | 'refunded';
interface ModelLicence {
  readonly id: string;
  readonly price: number;
  state: LicenceState;
  escrow: EscrowStatus;
  readonly releaseAt: number;
  readonly expiresAt: number;
}
interface Model {
  now: number;
  licensee: number;
  licensor: number;
  readonly licences: ModelLicence[];
}

// The rules as the model states them, independently of the code under test.
const REVOCABLE: LicenceState[] = ['awaiting_signature', 'active', 'suspended'];
const TERMINABLE: LicenceState[] = ['active', 'suspended'];
type Party = 'officer' | 'licensor' | 'licensee';
const endOutcome = (by: Party): 'released' | 'refunded' => (by === 'licensee' ? 'released' : 'refunded');
const releasable = (m: Model) => m.licences.filter((l) => l.escrow === 'held' && l.releaseAt <= m.now && (l.state === 'active' || l.state === 'expired'));
function settle(m: Model, l: ModelLicence, outcome: 'released' | 'refunded'): void {
  l.escrow = outcome;
  if (outcome === 'refunded') m.licensee += l.price;
  else m.licensor += l.price;
}
const principalOf = (r: World, by: Party): Principal => (by === 'officer' ? r.officer : by === 'licensor' ? r.licensor : r.licensee);
const pick = (m: Model, index: number) => m.licences[index % m.licences.length]!;

/** After every command: credits conserved, escrows hold exactly what the model says, balances and states as predicted. */
async function invariants(m: Model, r: World): Promise<void> {
  expect(await sumOfBalances(r.table)).toBe(0);
  expect(await r.ledgerStore.balance(partnerAccount(r.licensee.partnerId))).toBe(m.licensee);
  expect(await r.ledgerStore.balance(partnerAccount(r.licensor.partnerId))).toBe(m.licensor);
  await Promise.all(
    m.licences.map(async (l) => {
      const [held, escrow, licence] = await Promise.all([r.ledgerStore.balance(escrowAccount(l.id)), r.ledgerStore.getEscrow(l.id), r.store.getLicence(l.id)]);
      expect({ id: l.id, held, escrow: escrow?.status ?? 'none', state: licence?.state }).toEqual({ id: l.id, held: l.escrow === 'held' ? l.price : 0, escrow: l.escrow, state: l.state });
    }),
  );
}

type Cmd = fc.AsyncCommand<Model, World>;

class Sign implements Cmd {
  constructor(readonly price: number) {}
  check = () => true;
  async run(m: Model, r: World) {
    const { id } = await r.licences.request(r.licensee, { offerId: r.offerOf.get(this.price)!, purpose: 'planning' });
    if (m.licensee >= this.price) {
      const signed = await r.licences.sign(r.licensee, id);
      expect(signed.state).toBe('active');
      m.licensee -= this.price;
      m.licences.push({ id, price: this.price, state: 'active', escrow: 'held', releaseAt: m.now + 24 * HOUR, expiresAt: Date.parse(signed.document!.validity.until!) });
    } else {
      await expect(r.licences.sign(r.licensee, id)).rejects.toMatchObject({ code: 'insufficient_credits' });
      m.licences.push({ id, price: this.price, state: 'awaiting_signature', escrow: 'none', releaseAt: Infinity, expiresAt: Infinity });
    }
    await invariants(m, r);
  }
  toString = () => `sign(${this.price})`;
}

class End implements Cmd {
  constructor(
    readonly kind: 'revoke' | 'terminate',
    readonly by: Party,
    readonly index: number,
  ) {}
  check = (m: Readonly<Model>) => m.licences.length > 0;
  async run(m: Model, r: World) {
    const l = pick(m, this.index);
    const principal = principalOf(r, this.by);
    const ending = this.kind === 'revoke' ? r.licences.revoke(principal, l.id, 'fin') : r.licences.terminate(principal, l.id, 'fin');
    if (!(this.kind === 'revoke' ? REVOCABLE : TERMINABLE).includes(l.state)) {
      await expect(ending).rejects.toMatchObject({ code: 'licence_state' });
    } else {
      expect((await ending).state).toBe(this.kind === 'revoke' ? 'revoked' : 'terminated');
      if (l.escrow === 'held') settle(m, l, endOutcome(this.by));
      l.state = this.kind === 'revoke' ? 'revoked' : 'terminated';
    }
    await invariants(m, r);
  }
  toString = () => `${this.kind}(by ${this.by}, #${this.index})`;
}

/** Suspension and reactivation as the duty schedule makes them, written straight through the store. */
class Suspension implements Cmd {
  constructor(
    readonly to: 'suspended' | 'active',
    readonly index: number,
  ) {}
  check = (m: Readonly<Model>) => m.licences.length > 0;
  async run(m: Model, r: World) {
    const l = pick(m, this.index);
    const from = this.to === 'suspended' ? 'active' : 'suspended';
    if (l.state !== from) return;
    const at = r.clock.now().toISOString();
    await r.store.transition(l.id, { from: [from], to: this.to, at, by: 'schedule' }, r.audit.record({ actor: systemActor('test'), action: `licence.${this.to}`, subject: l.id, parties: [] }));
    l.state = this.to;
    await invariants(m, r);
  }
  toString = () => `${this.to === 'suspended' ? 'suspend' : 'reactivate'}(#${this.index})`;
}

class ReleaseRun implements Cmd {
  constructor(readonly hours: number) {}
  check = () => true;
  async run(m: Model, r: World) {
    r.clock.advance(this.hours * HOUR);
    m.now += this.hours * HOUR;
    const due = releasable(m);
    expect(await r.ledger.releaseDue(r.clock.now())).toBe(due.length);
    due.forEach((l) => settle(m, l, 'released'));
    await invariants(m, r);
  }
  toString = () => `releaseRun(+${this.hours}h)`;
}

class ExpiryRun implements Cmd {
  constructor(readonly hours: number) {}
  check = () => true;
  async run(m: Model, r: World) {
    r.clock.advance(this.hours * HOUR);
    m.now += this.hours * HOUR;
    const ending = m.licences.filter((l) => (l.state === 'active' || l.state === 'suspended') && l.expiresAt <= m.now);
    expect(await r.lifecycle.expire(r.clock.now())).toBe(ending.length);
    ending.forEach((l) => (l.state = 'expired'));
    await invariants(m, r);
  }
  toString = () => `expiryRun(+${this.hours}h)`;
}

/** A release run and a revocation launched together, past the hold: exactly one of release or refund. */
class ReleaseWithRevoke implements Cmd {
  constructor(
    readonly by: 'licensor' | 'officer',
    readonly index: number,
  ) {}
  check = (m: Readonly<Model>) => m.licences.length > 0;
  async run(m: Model, r: World) {
    r.clock.advance(25 * HOUR);
    m.now += 25 * HOUR;
    const l = pick(m, this.index);
    const due = releasable(m);
    const revocable = REVOCABLE.includes(l.state);
    const [released, revoked] = await Promise.allSettled([r.ledger.releaseDue(r.clock.now()), r.licences.revoke(principalOf(r, this.by), l.id, 'fin')]);
    if (released.status === 'rejected') throw released.reason;
    due.filter((d) => d !== l).forEach((d) => settle(m, d, 'released'));
    if (!revocable) {
      expect(revoked).toMatchObject({ status: 'rejected', reason: { code: 'licence_state' } });
      if (due.includes(l)) settle(m, l, 'released');
    } else {
      if (revoked.status === 'rejected') throw revoked.reason;
      if (l.escrow === 'held') {
        // Either may win when the licence was releasable; a suspended licence's escrow can only be refunded.
        const actual = (await r.ledgerStore.getEscrow(l.id))!.status;
        expect(due.includes(l) ? ['released', 'refunded'] : ['refunded']).toContain(actual);
        settle(m, l, actual as 'released' | 'refunded');
      }
      l.state = 'revoked';
    }
    expect(released.value).toBe(due.filter((d) => d.escrow === 'released').length);
    await invariants(m, r);
  }
  toString = () => `releaseRun(+25h) || revoke(by ${this.by}, #${this.index})`;
}

/** Two release runs at once (two schedule invocations overlapping): each escrow is paid once, and neither run fails. */
class TwoReleaseRuns implements Cmd {
  check = () => true;
  async run(m: Model, r: World) {
    r.clock.advance(25 * HOUR);
    m.now += 25 * HOUR;
    const due = releasable(m);
    const [a, b] = await Promise.all([r.ledger.releaseDue(r.clock.now()), r.ledger.releaseDue(r.clock.now())]);
    expect(a + b).toBe(due.length);
    due.forEach((l) => settle(m, l, 'released'));
    await invariants(m, r);
  }
  toString = () => 'releaseRun(+25h) || releaseRun(+25h)';
}

const index = fc.nat(20);
const sign = fc.constantFrom(...PRICES).map((p) => new Sign(p));
const commands = [
  // Purchases weigh more, so that most runs have several licences to end, suspend and release.
  sign,
  sign,
  sign,
  index.map((i) => new End('revoke', 'licensor', i)),
  index.map((i) => new End('revoke', 'officer', i)),
  index.map((i) => new End('terminate', 'licensee', i)),
  index.map((i) => new End('terminate', 'licensor', i)),
  fc.tuple(fc.constantFrom('suspended' as const, 'active' as const), index).map(([to, i]) => new Suspension(to, i)),
  fc.constantFrom(1, 12, 25).map((h) => new ReleaseRun(h)),
  fc.constantFrom(1, 25, 49).map((h) => new ExpiryRun(h)),
  fc.tuple(fc.constantFrom('licensor' as const, 'officer' as const), index).map(([by, i]) => new ReleaseWithRevoke(by, i)),
  fc.constant(new TwoReleaseRuns()),
];

describe('escrow follows the licence (model-based, on DynamoDB Local)', () => {
  it('conserves credits and pays each escrow to exactly the party the refund rule names, in any interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 12, size: 'max' }), async (cmds) => {
        // Arrange: a fresh world per run, so balances and due escrows are the run's own
        const r = await world();
        const m: Model = { now: r.clock.now().getTime(), licensee: STARTING_CREDITS, licensor: 0, licences: [] };
        try {
          // Act and Assert: every command checks the invariants after itself
          await fc.asyncModelRun(() => ({ model: m, real: r }), cmds);
        } finally {
          await r.table.drop();
        }
      }),
      { numRuns: Number(process.env.COMPTOIR_MODEL_RUNS ?? 8) },
    );
  }, 300_000);
});

describe('escrow and deletion duty at the exact interleavings that matter', () => {
  let r: World;

  beforeAll(async () => {
    r = await world();
    await r.ledger.grant(r.officer, { partnerId: r.licensee.partnerId, credits: 1000 }, undefined);
  }, 60_000);
  afterAll(() => r.table.drop());

  const balances = async () => ({
    licensee: await r.ledgerStore.balance(partnerAccount(r.licensee.partnerId)),
    licensor: await r.ledgerStore.balance(partnerAccount(r.licensor.partnerId)),
  });
  const bought = async () => {
    const { id } = await r.licences.request(r.licensee, { offerId: r.offerOf.get(10)!, purpose: 'planning' });
    await r.licences.sign(r.licensee, id);
    return id;
  };
  /** Runs `first` once, just before the first transaction that `matches`, then lets that transaction through. */
  const beforeTransaction = (matches: (items: Record<string, any>[]) => boolean, first: () => Promise<unknown>) => {
    let fired = false;
    r.table.db.middlewareStack.add(
      (next, context) => async (args) => {
        const items = ((args.input as { TransactItems?: Record<string, any>[] }).TransactItems ?? []);
        if (!fired && context.commandName === 'TransactWriteItemsCommand' && matches(items)) {
          fired = true;
          await first();
        }
        return next(args);
      },
      { step: 'initialize', name: 'interleave' },
    );
    return { fired: () => fired, remove: () => r.table.db.middlewareStack.remove('interleave') };
  };
  const isEnd = (to: string) => (items: Record<string, any>[]) => items[0]?.Update?.ExpressionAttributeValues?.[':to'] === to;
  const isRelease = (items: Record<string, any>[]) => !!items[1]?.ConditionCheck;

  it('a release landing between the revocation read and its write pays the licensor once; the revocation still ends the licence, without refund', async () => {
    // Arrange
    const id = await bought();
    r.clock.advance(25 * HOUR);
    const before = await balances();
    const hook = beforeTransaction(isEnd('revoked'), () => r.ledger.releaseDue(r.clock.now()));

    // Act
    const revoked = await r.licences.revoke(r.licensor, id, 'fin').finally(hook.remove);

    // Assert
    expect(hook.fired()).toBe(true);
    expect(revoked.state).toBe('revoked');
    expect((await r.ledgerStore.getEscrow(id))!.status).toBe('released');
    expect(await balances()).toEqual({ licensee: before.licensee, licensor: before.licensor + 10 });
    expect(await sumOfBalances(r.table)).toBe(0);
  });

  it('a revocation landing between the release query and its write refunds once; the release moves nothing', async () => {
    // Arrange
    const id = await bought();
    r.clock.advance(25 * HOUR);
    const before = await balances();
    const hook = beforeTransaction(isRelease, () => r.licences.revoke(r.officer, id, 'fin'));

    // Act
    const released = await r.ledger.releaseDue(r.clock.now()).finally(hook.remove);

    // Assert
    expect(hook.fired()).toBe(true);
    expect(released).toBe(0);
    expect((await r.ledgerStore.getEscrow(id))!.status).toBe('refunded');
    expect(await balances()).toEqual({ licensee: before.licensee + 10, licensor: before.licensor });
    expect(await sumOfBalances(r.table)).toBe(0);
  });

  it('a signature landing between the revocation read and its write is refunded: the revocation reads again and settles the new escrow', async () => {
    // Arrange: a licence awaiting signature, revoked by the licensor while the licensee signs
    const { id } = await r.licences.request(r.licensee, { offerId: r.offerOf.get(10)!, purpose: 'planning' });
    const before = await balances();
    const hook = beforeTransaction(isEnd('revoked'), () => r.licences.sign(r.licensee, id));

    // Act
    const revoked = await r.licences.revoke(r.licensor, id, 'offre retirée').finally(hook.remove);

    // Assert: never a revoked licence whose payment is stuck in escrow
    expect(hook.fired()).toBe(true);
    expect(revoked.state).toBe('revoked');
    expect(revoked.history.map((h) => h.state)).toEqual(['awaiting_signature', 'active', 'revoked']);
    expect((await r.ledgerStore.getEscrow(id))!.status).toBe('refunded');
    expect(await r.ledgerStore.balance(escrowAccount(id))).toBe(0);
    expect(await balances()).toEqual(before);
  });

  it('leaves a release that stays contended for the next run instead of failing the schedule', async () => {
    // Arrange: every release transaction is cancelled as real DynamoDB does under contention
    const id = await bought();
    r.clock.advance(25 * HOUR);
    r.table.db.middlewareStack.add(
      (next, context) => async (args) => {
        const items = (args.input as { TransactItems?: Record<string, any>[] }).TransactItems ?? [];
        if (context.commandName === 'TransactWriteItemsCommand' && isRelease(items)) {
          throw Object.assign(new Error('Transaction cancelled [TransactionConflict]'), { name: 'TransactionCanceledException', CancellationReasons: items.map((_, i) => ({ Code: i === 0 ? 'TransactionConflict' : 'None' })) });
        }
        return next(args);
      },
      { step: 'initialize', name: 'contend' },
    );

    // Act
    const contended = await r.ledger.releaseDue(r.clock.now()).finally(() => r.table.db.middlewareStack.remove('contend'));

    // Assert: nothing moved, nothing thrown; the next run pays
    expect(contended).toBe(0);
    expect((await r.ledgerStore.getEscrow(id))!.status).toBe('held');
    expect(await r.ledger.releaseDue(r.clock.now())).toBe(1);
  });

  it("keeps a suspended licence's escrow held past the hold, and releases it once the licence is active again", async () => {
    // Arrange
    const id = await bought();
    const suspend = (from: LicenceState, to: LicenceState) =>
      r.store.transition(id, { from: [from], to, at: r.clock.now().toISOString(), by: 'schedule' }, r.audit.record({ actor: systemActor('test'), action: `licence.${to}`, subject: id, parties: [] }));
    await suspend('active', 'suspended');
    r.clock.advance(25 * HOUR);
    const before = await balances();

    // Act and Assert: withheld, without failing the run
    expect(await r.ledger.releaseDue(r.clock.now())).toBe(0);
    expect((await r.ledgerStore.getEscrow(id))!.status).toBe('held');
    expect(await balances()).toEqual(before);

    // Act and Assert: reactivated, the next run pays the licensor
    await suspend('suspended', 'active');
    expect(await r.ledger.releaseDue(r.clock.now())).toBe(1);
    expect(await balances()).toEqual({ licensee: before.licensee, licensor: before.licensor + 10 });
  });

  it('moves the deletion duty of a terminated licence to 30 days after the actual end, in the due-date index too', async () => {
    // Arrange
    const id = await bought();
    const planned = (await r.duties.getDuty(id, 'delete-on-expiry'))!.dueAt!;
    r.clock.advance(HOUR);
    const endedAt = r.clock.now();

    // Act
    await r.licences.terminate(r.licensee, id, 'projet arrêté');

    // Assert
    const due = new Date(endedAt.getTime() + 30 * 24 * HOUR).toISOString();
    expect(due < planned).toBe(true);
    expect((await r.duties.getDuty(id, 'delete-on-expiry'))!.dueAt).toBe(due);
    expect(await r.duties.dueBefore(new Date(Date.parse(due) - 1).toISOString(), 100)).not.toContainEqual({ licenceId: id, dutyId: 'delete-on-expiry' });
    expect(await r.duties.dueBefore(due, 100)).toContainEqual({ licenceId: id, dutyId: 'delete-on-expiry' });
  });

  it('reads the deletion duty again when it changed between the termination read and its write, and never puts a closed duty back in the due-date index', async () => {
    // Arrange: the duty closes while the termination is in flight
    const id = await bought();
    r.clock.advance(HOUR);
    const hook = beforeTransaction(isEnd('terminated'), () =>
      r.duties.updateDuty(id, 'delete-on-expiry', ['open'], 'fulfilled', { fulfilledAt: r.clock.now().toISOString() }, r.audit.record({ actor: systemActor('test'), action: 'licence.duty.attested', subject: id, parties: [] })),
    );

    // Act
    const terminated = await r.licences.terminate(r.licensor, id, 'fin du service').finally(hook.remove);

    // Assert
    expect(hook.fired()).toBe(true);
    expect(terminated.state).toBe('terminated');
    const duty = (await r.duties.getDuty(id, 'delete-on-expiry'))!;
    expect(duty.status).toBe('fulfilled');
    expect(await r.duties.dueBefore('9999', 1000)).not.toContainEqual({ licenceId: id, dutyId: 'delete-on-expiry' });
  });

  it('gives a licence without expiry its deletion duty when it ends: due withinDays after the end', async () => {
    // Arrange: an open-ended licence (the DSP data template has no validity) with a deletion clause
    const offer = await r.offers.create(r.licensor, { datasetId: r.datasetId, template: 'dsp-data', clauses: [{ kind: 'delete-on-expiry', params: { withinDays: 10 } }], approval: 'auto', audience: ['private'] });
    const { id } = await r.licences.request(r.licensee, { offerId: offer.id, purpose: 'public-service' });
    await r.licences.sign(r.licensee, id);
    expect(await r.duties.getDuty(id, 'delete-on-expiry')).toBeUndefined();

    // Act
    const ended = await r.licences.terminate(r.licensee, id, 'fin du contrat');

    // Assert
    expect(await r.duties.getDuty(id, 'delete-on-expiry')).toMatchObject({ status: 'open', dueAt: addDuration(ended.history.at(-1)!.at, 'P10D') });
  });
});

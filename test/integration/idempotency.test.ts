import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIdempotencyStore } from '../../functions/adapters/dynamo/idempotency-store.ts';
import { DynamoLedgerStore } from '../../functions/adapters/dynamo/ledger-store.ts';
import { AuditTrail, systemActor } from '../../functions/domain/audit/audit-trail.ts';
import { BusinessRuleError, InvalidRequestError } from '../../functions/domain/errors.ts';
import { systemClock, ulidGenerator } from '../../functions/domain/ids.ts';
import { IDEMPOTENCY_LEASE_MS, idempotent, type IdempotencyDeps } from '../../functions/domain/ledger/idempotency.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, ISSUANCE, type IdempotencyRecord } from '../../functions/domain/ledger/movement.ts';
import type { Clock } from '../../functions/ports/time.ts';
import { createTestTable, type TestTable } from '../support/emulators.ts';

type Granted = { movementId: string; credits: number };

/** A promise opened from outside: holds a request in flight for exactly as long as a test needs. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

const fixedClock = (at: Date): Clock => ({ now: () => at });

describe('idempotent() on DynamoDB Local', () => {
  let table: TestTable;
  let store: DynamoIdempotencyStore;
  let ledger: DynamoLedgerStore;
  const ids = ulidGenerator(systemClock);
  const audit = new AuditTrail({ clock: systemClock, ids });
  const deps = (over: Partial<IdempotencyDeps> = {}): IdempotencyDeps => ({ store, clock: systemClock, pause: async () => {}, ...over });

  /** A real change: credits from the issuance account, with its answer in the same transaction. */
  const grant = async (account: string, credits: number, recordOf: ((r: Granted) => IdempotencyRecord) | undefined): Promise<Granted> => {
    const movementId = ids.next('mov');
    const result = { movementId, credits };
    await ledger.move(
      [{ movementId, at: new Date().toISOString(), from: ISSUANCE, to: account, amount: credits, cause: { type: 'grant' } }],
      audit.record({ actor: systemActor('test'), action: 'ledger.granted', subject: movementId, parties: [], data: { credits } }),
      recordOf?.(result),
    );
    return result;
  };
  const fresh = () => ({ account: `partner:${randomUUID()}`, key: `key-${randomUUID()}` });

  beforeAll(async () => {
    table = await createTestTable();
    store = new DynamoIdempotencyStore(table.db, table.tableName);
    ledger = new DynamoLedgerStore(table.db, table.tableName);
  });
  afterAll(() => table.drop());

  it('runs the change once and replays its first answer to a retry', async () => {
    // Arrange
    const { account, key } = fresh();
    let runs = 0;
    const call = () => idempotent<Granted>(deps(), 'key_a', key, { op: 'grant', account, credits: 10 }, (recordOf) => (runs++, grant(account, 10, recordOf)));

    // Act
    const first = await call();
    const retry = await call();

    // Assert
    expect(retry).toEqual(first);
    expect(runs).toBe(1);
    expect(await ledger.balance(account)).toBe(10);
  });

  it('keeps a key per caller: the same key from another scope is another request', async () => {
    const { account, key } = fresh();
    const request = { op: 'grant', account, credits: 10 };
    await idempotent<Granted>(deps(), 'key_a', key, request, (recordOf) => grant(account, 10, recordOf));
    await idempotent<Granted>(deps(), 'key_b', key, request, (recordOf) => grant(account, 10, recordOf));
    expect(await ledger.balance(account)).toBe(20);
  });

  it('makes a twin in flight wait for the first answer instead of running the change', async () => {
    // Arrange: the first request holds the key until the twin starts waiting
    const { account, key } = fresh();
    const request = { op: 'grant', account, credits: 10 };
    const started = gate();
    const release = gate();
    const first = idempotent<Granted>(deps(), 'key_a', key, request, async (recordOf) => {
      started.open();
      await release.opened;
      return grant(account, 10, recordOf);
    });
    await started.opened;
    let twinRuns = 0;

    // Act
    const twin = await idempotent<Granted>(
      deps({ pause: async () => { release.open(); await first; } }),
      'key_a', key, request,
      async (recordOf) => {
        twinRuns++;
        release.open();
        return grant(account, 10, recordOf);
      },
    );

    // Assert
    expect(twin).toEqual(await first);
    expect(twinRuns).toBe(0);
    expect(await ledger.balance(account)).toBe(10);
  });

  it('answers in progress with a Retry-After once its bounded waits are spent, running nothing', async () => {
    // Arrange
    const { account, key } = fresh();
    const request = { op: 'grant', account, credits: 10 };
    const started = gate();
    const release = gate();
    const first = idempotent<Granted>(deps(), 'key_a', key, request, async (recordOf) => {
      started.open();
      await release.opened;
      return grant(account, 10, recordOf);
    });
    await started.opened;
    const pauses: number[] = [];
    let twinRuns = 0;

    // Act
    const twin = idempotent<Granted>(deps({ pause: async (ms) => void pauses.push(ms) }), 'key_a', key, request, async (recordOf) => (twinRuns++, grant(account, 10, recordOf)));

    // Assert
    const error = await twin.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyInProgressError);
    expect((error as IdempotencyInProgressError).retryAfterSeconds).toBe(1);
    expect(pauses.length).toBeGreaterThan(0);
    expect(pauses.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2500);
    expect(twinRuns).toBe(0);
    release.open();
    await first;
    expect(await ledger.balance(account)).toBe(10);
  });

  it('refuses another request under a key in flight as key reuse, without waiting for it', async () => {
    // Arrange
    const { account, key } = fresh();
    const started = gate();
    const release = gate();
    const first = idempotent<Granted>(deps(), 'key_a', key, { op: 'grant', account, credits: 10 }, async (recordOf) => {
      started.open();
      await release.opened;
      return grant(account, 10, recordOf);
    });
    await started.opened;
    let pauses = 0;

    // Act
    const other = await idempotent<Granted>(deps({ pause: async () => void pauses++ }), 'key_a', key, { op: 'grant', account, credits: 99 }, (recordOf) => grant(account, 99, recordOf)).catch((e: unknown) => e);

    // Assert
    expect(other).toBeInstanceOf(IdempotencyKeyReusedError);
    expect(pauses).toBe(0);
    release.open();
    await first;
    expect(await ledger.balance(account)).toBe(10);
  });

  it('frees the key when the change fails, so that a retry runs it again', async () => {
    // Arrange
    const { account, key } = fresh();
    const request = { op: 'grant', account, credits: 10 };
    const refusal = new BusinessRuleError('not now', 'not_now');

    // Act
    const failed = await idempotent<Granted>(deps(), 'key_a', key, request, async () => { throw refusal; }).catch((e: unknown) => e);
    const retry = await idempotent<Granted>(deps(), 'key_a', key, request, (recordOf) => grant(account, 10, recordOf));

    // Assert
    expect(failed).toBe(refusal);
    expect(retry.credits).toBe(10);
    expect(await ledger.balance(account)).toBe(10);
    expect(await store.get('key_a', key)).toMatchObject({ state: 'done' });
  });

  it('frees the key after a change that wrote no answer, leaving nothing to replay', async () => {
    const { key } = fresh();
    let runs = 0;
    const call = () => idempotent<number>(deps(), 'key_a', key, { op: 'read' }, async () => ++runs);
    expect(await call()).toBe(1);
    expect(await call()).toBe(2);
  });

  it('lets a retry take over the claim of a request whose lease lapsed; the stale request can no longer answer and gets the new answer', async () => {
    // Arrange: a request that claims at t0 and stalls past its lease
    const { account, key } = fresh();
    const request = { op: 'grant', account, credits: 10 };
    const t0 = new Date();
    const started = gate();
    const release = gate();
    const stale = idempotent<Granted>(deps({ clock: fixedClock(t0) }), 'key_a', key, request, async (recordOf) => {
      started.open();
      await release.opened;
      return grant(account, 10, recordOf);
    });
    await started.opened;

    // Act: a retry after the lease, then the stalled request wakes up and tries to commit
    const retry = await idempotent<Granted>(deps({ clock: fixedClock(new Date(t0.getTime() + IDEMPOTENCY_LEASE_MS + 1000)) }), 'key_a', key, request, (recordOf) => grant(account, 10, recordOf));
    release.open();
    const late = await stale;

    // Assert: one change, one answer
    expect(late).toEqual(retry);
    expect(await ledger.balance(account)).toBe(10);
    expect((await ledger.statement(account, {})).items).toHaveLength(1);
    expect(await store.get('key_a', key)).toMatchObject({ state: 'done' });
  });

  it('refuses the change of a request whose lapsed claim was taken over while the new holder runs: only the holder commits', async () => {
    // Arrange: a request stalled past its lease, and a retry that took the key over and is still running
    const { account, key } = fresh();
    const request = { op: 'grant', account, credits: 10 };
    const t0 = new Date();
    const staleStarted = gate();
    const staleRelease = gate();
    const holderStarted = gate();
    const holderRelease = gate();
    let staleRefusal: unknown;
    const stale = idempotent<Granted>(
      deps({ clock: fixedClock(t0), pause: async () => { holderRelease.open(); await holder; } }),
      'key_a', key, request,
      async (recordOf) => {
        staleStarted.open();
        await staleRelease.opened;
        return grant(account, 10, recordOf).catch((error: unknown) => {
          staleRefusal = error;
          throw error;
        });
      },
    );
    await staleStarted.opened;
    const holder = idempotent<Granted>(deps({ clock: fixedClock(new Date(t0.getTime() + IDEMPOTENCY_LEASE_MS + 1000)) }), 'key_a', key, request, async (recordOf) => {
      holderStarted.open();
      await holderRelease.opened;
      return grant(account, 10, recordOf);
    });
    // A holder that could not take the key over fails here instead of hanging.
    await Promise.race([holderStarted.opened, holder]);

    // Act: the stalled request wakes up first and tries to commit
    staleRelease.open();
    const late = await stale;
    holderRelease.open();
    const current = await holder;

    // Assert: the stale change was refused on the claim, the holder's is the one, and the stale request answers it
    expect(staleRefusal).toBeInstanceOf(IdempotencyInProgressError);
    expect(late).toEqual(current);
    const entries = (await ledger.statement(account, {})).items;
    expect(entries.map((e) => e.movementId)).toEqual([current.movementId]);
    expect(await ledger.balance(account)).toBe(10);
  });

  it('treats a claim refused by a transaction in progress on the key as held, not as a failure', async () => {
    // Arrange: the next claim meets a transaction writing the key, as real DynamoDB reports it
    const { account, key } = fresh();
    let injected = 0;
    table.db.middlewareStack.add(
      (next, context) => async (args) => {
        const pk = (args.input as { Item?: { pk?: string } }).Item?.pk;
        if (context.commandName === 'PutItemCommand' && pk?.endsWith(`#${key}`) && injected === 0) {
          injected += 1;
          throw Object.assign(new Error('Transaction is ongoing for the item'), { name: 'TransactionConflictException' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectClaimConflict' },
    );

    // Act
    const result = await idempotent<Granted>(deps(), 'key_a', key, { op: 'grant', account, credits: 10 }, (recordOf) => grant(account, 10, recordOf)).finally(() =>
      table.db.middlewareStack.remove('injectClaimConflict'),
    );

    // Assert
    expect(injected).toBe(1);
    expect(result.credits).toBe(10);
    expect(await ledger.balance(account)).toBe(10);
  });

  it('does not take over a claim whose lease is still running', async () => {
    const { account, key } = fresh();
    const request = { op: 'grant', account, credits: 10 };
    const t0 = new Date();
    const started = gate();
    const release = gate();
    const first = idempotent<Granted>(deps({ clock: fixedClock(t0) }), 'key_a', key, request, async (recordOf) => {
      started.open();
      await release.opened;
      return grant(account, 10, recordOf);
    });
    await started.opened;
    const early = idempotent<Granted>(deps({ clock: fixedClock(new Date(t0.getTime() + IDEMPOTENCY_LEASE_MS - 1000)) }), 'key_a', key, request, (recordOf) => grant(account, 10, recordOf));
    await expect(early).rejects.toBeInstanceOf(IdempotencyInProgressError);
    release.open();
    await first;
    expect(await ledger.balance(account)).toBe(10);
  });

  it.each([['k'.repeat(256)], ['clé-é'], ['tab\there']])('refuses the Idempotency-Key %j with a 400 before running anything', async (key) => {
    let runs = 0;
    const error = await idempotent<number>(deps(), 'key_a', key, { op: 'x' }, async () => ++runs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(runs).toBe(0);
  });
});

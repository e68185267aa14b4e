import { describe, expect, it } from 'vitest';
import { systemClock } from '../../functions/domain/ids.ts';
import { idempotent } from '../../functions/domain/ledger/idempotency.ts';
import { IdempotencyInProgressError } from '../../functions/domain/ledger/movement.ts';
import type { IdempotencyStore } from '../../functions/ports/idempotency.ts';

describe('idempotent() against a key that keeps changing hands', () => {
  it('gives up with a 409 in progress after a bounded number of claims, running nothing', async () => {
    // Arrange: every claim is beaten by another request, which frees the key before we can read it
    let claims = 0;
    const flapping: IdempotencyStore = {
      claim: async () => (claims++, false),
      get: async () => undefined,
      release: async () => true,
    };
    let runs = 0;

    // Act
    const error = await idempotent(
      { store: flapping, clock: systemClock, pause: async () => {} },
      'key_a',
      'k-1',
      { op: 'x' },
      async () => ++runs,
    ).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(IdempotencyInProgressError);
    expect(claims).toBe(5);
    expect(runs).toBe(0);
  });
});

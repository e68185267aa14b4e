/** A fresh idempotency key; `crypto.randomUUID` exists only on https and localhost pages. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** One key per form until it succeeds: a double submit or a retry after a timeout is the same request. */
export class FormKey {
  private key = newIdempotencyKey();

  get current(): string {
    return this.key;
  }

  /** After a success the next submission is a new request. */
  renew(): void {
    this.key = newIdempotencyKey();
  }
}

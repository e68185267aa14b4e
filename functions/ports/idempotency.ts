/** A request's hold on an Idempotency-Key while it runs; it lapses at `leaseUntil` if the request dies. */
export interface IdempotencyClaim {
  /** The API key that made the request: keys are per caller. */
  readonly scope: string;
  readonly key: string;
  readonly requestHash: string;
  /** Identifies this claim: only its holder may complete or release it. */
  readonly token: string;
  readonly at: string;
  readonly leaseUntil: string;
}

/** What is kept under a key: a claim still in flight, or the first answer. */
export type IdempotencyEntry =
  | { readonly state: 'claimed'; readonly requestHash: string }
  | { readonly state: 'done'; readonly requestHash: string; readonly response: string };

/** Claims and answers of Idempotency-Keys (the answer itself is written inside each change's transaction). */
export interface IdempotencyStore {
  /** Takes the key when it is free or its claim lapsed before `now`; false when a live claim or an answer holds it. */
  claim(claim: IdempotencyClaim, now: string): Promise<boolean>;
  get(scope: string, key: string): Promise<IdempotencyEntry | undefined>;
  /** Frees the key after a failed request, only while `token`'s claim still holds it; false otherwise. */
  release(scope: string, key: string, token: string): Promise<boolean>;
}

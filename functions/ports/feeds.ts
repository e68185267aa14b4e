import type { Delivery, DeliveryAttempt, Subscription } from '../../schemas/index.ts';

/** A subscription as stored: with the secret that signs its deliveries. */
export interface StoredSubscription extends Subscription {
  readonly secret: string;
}

/** Subscriptions, per owner and per dataset. */
export interface SubscriptionStore {
  putSubscription(s: StoredSubscription): Promise<void>;
  getSubscription(id: string): Promise<StoredSubscription | undefined>;
  listByPartner(partnerId: string): Promise<StoredSubscription[]>;
  listByDataset(datasetId: string): Promise<StoredSubscription[]>;
  /** Sets fields of an existing subscription; false when it is gone. */
  updateSubscription(id: string, set: Partial<Omit<StoredSubscription, 'id'>>): Promise<boolean>;
  deleteSubscription(id: string): Promise<boolean>;
}

/** What a delivery carries between attempts: the access granted once, re-presigned per attempt. */
export interface StoredDelivery extends Delivery {
  readonly sha256: string;
  readonly publishedAt: string;
  /** The granted access whose object is presigned afresh on each attempt; absent when access was denied. */
  readonly access?: { readonly accessId: string; readonly objectKey: string; readonly transforms: unknown[] };
  readonly reasons?: { clause: string; message: string }[];
}

/** Deliveries under their subscription; pending ones indexed by next attempt, dead ones in a dead-letter partition. */
export interface DeliveryStore {
  /** Creates the delivery of one event to one subscription; false when it already exists (a duplicate event). */
  createDelivery(d: StoredDelivery): Promise<boolean>;
  getDelivery(subscriptionId: string, eventId: string): Promise<StoredDelivery | undefined>;
  /** Takes the delivery for one attempt until `until`; false while another worker holds it. */
  claim(subscriptionId: string, eventId: string, now: string, until: string): Promise<boolean>;
  /** Keeps the access decision taken before the first attempt. */
  saveAccess(subscriptionId: string, eventId: string, outcome: Pick<StoredDelivery, 'access' | 'reasons'>): Promise<void>;
  /** Appends an attempt (if any), sets the status and next attempt, and releases the claim. */
  recordAttempt(subscriptionId: string, eventId: string, attempt: DeliveryAttempt | undefined, status: Delivery['status'], nextAttemptAt?: string): Promise<void>;
  listDeliveries(subscriptionId: string, limit: number): Promise<StoredDelivery[]>;
  /** Pending deliveries whose next attempt is due at `now`, oldest first. */
  dueBefore(now: string, limit: number): Promise<Pick<Delivery, 'subscriptionId' | 'eventId'>[]>;
  /** Dead-lettered deliveries, newest first. */
  deadLetters(limit: number): Promise<Pick<Delivery, 'subscriptionId' | 'eventId'>[]>;
}

/** The answer of one webhook POST, or the network failure. */
export type WebhookResponse = { readonly statusCode: number; readonly latencyMs: number } | { readonly error: string; readonly latencyMs: number };

/** Sends one webhook POST; never follows redirects. */
export interface WebhookTransport {
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<WebhookResponse>;
}

/** Resolves a host name to every address it has (DNS A and AAAA). */
export interface HostResolver {
  resolve(host: string): Promise<string[]>;
}

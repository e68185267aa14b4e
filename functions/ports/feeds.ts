import type { Delivery, DeliveryAttempt, Subscription } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';

/** A subscription as stored: with the secret that signs its deliveries (`legacySignature` is derived from it). */
export interface StoredSubscription extends Omit<Subscription, 'legacySignature'> {
  readonly secret: string;
}

/** Subscriptions, per owner and per dataset; every change carries its audit event. */
export interface SubscriptionStore {
  putSubscription(s: StoredSubscription, event: PendingAuditEvent): Promise<void>;
  getSubscription(id: string): Promise<StoredSubscription | undefined>;
  listByPartner(partnerId: string): Promise<StoredSubscription[]>;
  listByDataset(datasetId: string): Promise<StoredSubscription[]>;
  /** Sets fields of an existing subscription, only while its status is one of `from` when given; false otherwise. */
  updateSubscription(id: string, set: Partial<Omit<StoredSubscription, 'id'>>, event: PendingAuditEvent, from?: readonly Subscription['status'][]): Promise<boolean>;
  deleteSubscription(id: string, event: PendingAuditEvent): Promise<boolean>;
}

/** What a delivery carries between attempts: the access granted once, re-presigned per attempt. */
export interface StoredDelivery extends Delivery {
  readonly sha256: string;
  readonly publishedAt: string;
  /** The granted access whose object is presigned afresh on each attempt; absent when access was denied. */
  readonly access?: { readonly accessId: string; readonly objectKey: string; readonly transforms: unknown[] };
  readonly reasons?: { clause: string; message: string }[];
}

/** A worker's hold on a delivery: its token, and when the hold lapses if the worker dies. */
export interface DeliveryClaim {
  readonly token: string;
  readonly until: string;
}

/** The access decision of a delivery: granted (presigned afresh per attempt) or denied with reasons. */
export type PreparedAccess = Pick<StoredDelivery, 'access' | 'reasons'>;

/** Deliveries under their subscription; pending ones indexed by next attempt, dead ones in a dead-letter partition. */
export interface DeliveryStore {
  /** Creates the delivery of one event to one subscription under `claim`; false when it already exists (a duplicate event). */
  createDelivery(d: StoredDelivery, claim: DeliveryClaim): Promise<boolean>;
  getDelivery(subscriptionId: string, eventId: string): Promise<StoredDelivery | undefined>;
  /**
   * Takes a pending delivery for one attempt: only if it is due at `now`, still has `attemptsSoFar` attempts
   * and no live claim; answers the delivery as claimed, or undefined when another worker moved first.
   */
  claim(subscriptionId: string, eventId: string, now: string, attemptsSoFar: number, claim: DeliveryClaim): Promise<StoredDelivery | undefined>;
  /** Keeps the access decision, once, under the worker's claim (so the quota is never counted twice). */
  saveAccess(subscriptionId: string, eventId: string, claimToken: string, prepared: PreparedAccess): Promise<boolean>;
  /** Appends an attempt (if any), sets the status and the next attempt, and releases the claim; false when the claim was lost. */
  recordAttempt(subscriptionId: string, eventId: string, claimToken: string, attempt: DeliveryAttempt | undefined, status: Delivery['status'], nextAttemptAt?: string): Promise<boolean>;
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

/** Where deliveries go once retries are exhausted, for operators to inspect and replay (SQS in the cloud). */
export interface DeadLetterSink {
  deadLettered(delivery: StoredDelivery, reason: string): Promise<void>;
}

import type { Delivery, DeliveryAttempt, Subscription } from '../../schemas/index.ts';
import type { PendingAuditEvent } from '../domain/audit/audit-trail.ts';
import type { StoredLicence } from './licensing.ts';

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
  /** The same, a page at a time, so a fan-out holds one page of subscribers however many there are. */
  pagesByDataset(datasetId: string): AsyncIterable<StoredSubscription[]>;
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

/** One `createDelivery` of a batch. */
export interface Creation {
  readonly delivery: StoredDelivery;
  readonly claim: DeliveryClaim;
}

/** One `saveAccess` of a batch. */
export interface AccessSave {
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly claimToken: string;
  readonly prepared: PreparedAccess;
}

/** One `recordAttempt` of a batch. */
export interface AttemptRecord {
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly claimToken: string;
  readonly attempt?: DeliveryAttempt;
  readonly status: Delivery['status'];
  readonly nextAttemptAt?: string;
}

/** Deliveries under their subscription; pending ones indexed by next attempt, dead ones in a dead-letter partition. */
export interface DeliveryStore {
  /** Creates the delivery of one event to one subscription under `claim`; false when it already exists (a duplicate event). */
  createDelivery(d: StoredDelivery, claim: DeliveryClaim): Promise<boolean>;
  /** `createDelivery` of several deliveries in few round trips; per delivery, whether it was created. */
  createDeliveries(items: readonly Creation[]): Promise<boolean[]>;
  getDelivery(subscriptionId: string, eventId: string): Promise<StoredDelivery | undefined>;
  /**
   * Takes a pending delivery for one attempt: only if it is due at `now`, still has `attemptsSoFar` attempts
   * and no live claim; answers the delivery as claimed, or undefined when another worker moved first.
   */
  claim(subscriptionId: string, eventId: string, now: string, attemptsSoFar: number, claim: DeliveryClaim): Promise<StoredDelivery | undefined>;
  /** Keeps the access decision, once, under the worker's claim (so the quota is never counted twice). */
  saveAccess(subscriptionId: string, eventId: string, claimToken: string, prepared: PreparedAccess): Promise<boolean>;
  /** `saveAccess` of several deliveries in few round trips; per delivery, whether its claim still held. */
  saveAccesses(saves: readonly AccessSave[]): Promise<boolean[]>;
  /** Appends an attempt (if any), sets the status and the next attempt, and releases the claim; false when the claim was lost. */
  recordAttempt(subscriptionId: string, eventId: string, claimToken: string, attempt: DeliveryAttempt | undefined, status: Delivery['status'], nextAttemptAt?: string): Promise<boolean>;
  /** `recordAttempt` of several deliveries in few round trips; per delivery, whether its claim still held. */
  recordAttempts(records: readonly AttemptRecord[]): Promise<boolean[]>;
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

/** Several licences in one read (BatchGetItem): those found, by id. */
export interface LicenceBatchReader {
  getLicences(ids: readonly string[]): Promise<Map<string, StoredLicence>>;
}

/** Where deliveries go once retries are exhausted, for operators to inspect and replay (SQS in the cloud). */
export interface DeadLetterSink {
  deadLettered(delivery: StoredDelivery, reason: string): Promise<void>;
}

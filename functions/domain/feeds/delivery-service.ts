import type { DeliveryAttempt, VersionPublishedPayload } from '../../../schemas/index.ts';
import type { AccessStore } from '../../ports/access.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { AccessSave, AttemptRecord, Creation, DeadLetterSink, DeliveryClaim, DeliveryStore, HostResolver, LicenceBatchReader, PreparedAccess, StoredDelivery, StoredSubscription, SubscriptionStore, WebhookTransport } from '../../ports/feeds.ts';
import type { LicenceStore } from '../../ports/licensing.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Clock } from '../../ports/time.ts';
import { AuditTrail, systemActor } from '../audit/audit-trail.ts';
import { DependencyError, DomainError } from '../errors.ts';
import type { AccessService } from '../licences/access-service.ts';
import { MAX_ATTEMPTS, isRetryable, retryDelayMs } from './backoff.ts';
import { legacySignature } from './legacy-signature.ts';
import { deliveryId, isLegacySecret, signWebhook } from './webhook-signature.ts';
import { GroupCommit, RunLookups, inParallel } from './run-support.ts';
import { UnsafeWebhookUrlError, assertSafeWebhookUrl, type WebhookUrlPolicy } from './webhook-url.ts';

/** Links in deliveries live 15 minutes from each attempt. */
const URL_SECONDS = 900;
const TIMEOUT_MS = 10_000;
/** A worker holds a delivery this long: enough to build a variant and send, short enough to recover from a crash. */
const CLAIM_MS = 5 * 60_000;
const PARALLEL_DELIVERIES = 32;
/** Writes of one fan-out gathered per round trip (TransactWriteItems takes 100), and how many such round trips at once. */
const GROUP_ITEMS = 50;
const GROUPS_IN_FLIGHT = 2;
/** How long the first attempt waits for the enforced variant, then how often later runs look again, and for how long. */
const VARIANT_WAIT_MS = 10_000;
const VARIANT_POLL_MS = 250;
const VARIANT_POLL_LATER_MS = 30_000;
const MAX_VARIANT_DELAY_MS = 3600_000;

/** The `dataset.version.published` event as the feeds see it. */
export interface PublishedVersion {
  /** The audit event id: deliveries are de-duplicated on it. */
  readonly eventId: string;
  readonly datasetId: string;
  readonly version: number;
  readonly sha256: string;
  readonly publishedAt: string;
}

export interface DeliveryDeps {
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly licences: LicenceStore;
  /** The licences of a page of subscribers in one read; without it each licence is read alone (once per run). */
  readonly licenceBatches?: LicenceBatchReader;
  readonly catalogue: CatalogueStore;
  readonly accessService: AccessService;
  readonly accessStore: Pick<AccessStore, 'getVariant'>;
  readonly objects: Pick<ObjectStore, 'presignGet'>;
  readonly transport: WebhookTransport;
  /** Besides the table's dead-letter partition (the cloud adds SQS). */
  readonly deadLetters?: DeadLetterSink;
  readonly resolver: HostResolver;
  readonly urlPolicy: WebhookUrlPolicy;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface DeliveryRun {
  readonly attempted: number;
  readonly delivered: number;
  /** Deliveries that hit an outage before their attempt was recorded: retried once their claim lapses. */
  readonly failed: number;
}

/** Some deliveries of a publication could not even be created: the event must be delivered again (the rest are de-duplicated). */
export class FanOutIncompleteError extends DependencyError {}

const sleepFor = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const newToken = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;

type Outcome = StoredDelivery['status'] | 'postponed' | 'lost';
/** The writes an attempt makes under its claim: straight to the store, or gathered with other lanes' during a fan-out. */
type AttemptWrites = Pick<DeliveryStore, 'saveAccess' | 'recordAttempt'>;
/** A link presigned with the access decision itself, reused by the attempt that follows at once. */
type Link = { readonly url: string; readonly expiresAt: string };


/** Webhook deliveries of new versions: one per subscription and event, signed, retried, dead-lettered. */
export class DeliveryService {
  constructor(private readonly deps: DeliveryDeps) {}

  /** Fans a publication out to every live subscription on its dataset; a repeated event sends nothing twice. */
  async onPublished(event: PublishedVersion): Promise<DeliveryRun> {
    const store = this.deps.deliveries;
    // The run's deliveries are created, keep their access decision and record their attempts a group per round trip.
    const creations = new GroupCommit<Creation, boolean>((items) => store.createDeliveries(items), GROUP_ITEMS, GROUPS_IN_FLIGHT);
    const saves = new GroupCommit<AccessSave, boolean>((items) => store.saveAccesses(items), GROUP_ITEMS, GROUPS_IN_FLIGHT);
    const records = new GroupCommit<AttemptRecord, boolean>((items) => store.recordAttempts(items), GROUP_ITEMS, GROUPS_IN_FLIGHT);
    const writes: AttemptWrites = {
      saveAccess: (subscriptionId, eventId, claimToken, prepared) => saves.submit({ subscriptionId, eventId, claimToken, prepared }),
      recordAttempt: (subscriptionId, eventId, claimToken, attempt, status, nextAttemptAt) =>
        records.submit({ subscriptionId, eventId, claimToken, status, ...(attempt ? { attempt } : {}), ...(nextAttemptAt ? { nextAttemptAt } : {}) }),
    };
    const tally = { attempted: 0, delivered: 0 };
    let uncreated = 0;
    let total = 0;
    const failures: { error: unknown }[] = [];
    // A page of subscribers at a time: memory stays bounded however many there are.
    for await (const page of this.deps.subscriptions.pagesByDataset(event.datasetId)) {
      const subs = page.filter((s) => s.status !== 'disabled');
      total += subs.length;
      // Reads kept for one page only: a run over many licences holds no more of them than a page names.
      const lookups = new RunLookups(this.deps);
      await lookups.prefetchLicences(subs.map((s) => s.licenceId));
      failures.push(
        ...(await inParallel(subs, PARALLEL_DELIVERIES, async (sub) => {
          // Read per lane: with hundreds of subscribers the last lanes start well after the first.
          const now = this.deps.clock.now();
          const fresh: StoredDelivery = {
            eventId: event.eventId,
            subscriptionId: sub.id,
            datasetId: event.datasetId,
            version: event.version,
            sha256: event.sha256,
            publishedAt: event.publishedAt,
            status: 'pending',
            attempts: [],
            nextAttemptAt: now.toISOString(),
            createdAt: now.toISOString(),
          };
          const claim = this.claimFrom(now);
          let created: boolean;
          try {
            created = await creations.submit({ delivery: fresh, claim });
          } catch (error) {
            uncreated += 1;
            throw error;
          }
          // Created already claimed: the first attempt follows at once, and a duplicate event finds it taken.
          if (created) return this.count(tally, await this.attempt(sub, fresh, claim.token, now, lookups, writes));
          // A repeated event carries on only if no attempt was made yet and the first worker's claim lapsed (it crashed).
          const retake = this.claimFrom(now);
          const claimed = await this.deps.deliveries.claim(sub.id, event.eventId, now.toISOString(), 0, retake);
          if (claimed) this.count(tally, await this.attempt(sub, claimed, retake.token, now, lookups, this.deps.deliveries));
        })),
      );
    }
    if (uncreated > 0) throw new FanOutIncompleteError(`${uncreated} of ${total} deliveries of ${event.eventId} could not be created`, { cause: failures[0]?.error });
    return { ...tally, failed: failures.length };
  }

  /** Attempts the pending deliveries due at `now` (the retry schedule; tests drive `now`). */
  async retryDue(now: Date, limit = 200): Promise<DeliveryRun> {
    const due = await this.deps.deliveries.dueBefore(now.toISOString(), limit);
    const lookups = new RunLookups(this.deps);
    const tally = { attempted: 0, delivered: 0 };
    const started = this.deps.clock.now().getTime();
    const failures = await inParallel(due, PARALLEL_DELIVERIES, async ({ subscriptionId, eventId }) => {
      // The scheduled instant plus the time this run has taken so far.
      const at = new Date(now.getTime() + (this.deps.clock.now().getTime() - started));
      const delivery = await this.deps.deliveries.getDelivery(subscriptionId, eventId);
      if (!delivery || delivery.status !== 'pending') return;
      const claim = this.claimFrom(at);
      const claimed = await this.deps.deliveries.claim(subscriptionId, eventId, at.toISOString(), delivery.attempts.length, claim);
      if (!claimed) return;
      const sub = await this.deps.subscriptions.getSubscription(subscriptionId);
      if (!sub || sub.status === 'disabled') {
        await this.deps.deliveries.recordAttempt(subscriptionId, eventId, claim.token, undefined, 'gone');
        return;
      }
      this.count(tally, await this.attempt(sub, claimed, claim.token, at, lookups, this.deps.deliveries));
    });
    return { ...tally, failed: failures.length };
  }

  private claimFrom(now: Date): DeliveryClaim {
    return { token: newToken(), until: new Date(now.getTime() + CLAIM_MS).toISOString() };
  }

  private count(tally: { attempted: number; delivered: number }, outcome: Outcome): void {
    if (outcome === 'postponed' || outcome === 'lost') return;
    tally.attempted += 1;
    if (outcome === 'delivered') tally.delivered += 1;
  }

  /** The access decision, taken once per delivery (the quota counts it once), waiting briefly for the enforced variant. */
  private async prepare(sub: StoredSubscription, d: StoredDelivery, lookups: RunLookups): Promise<PreparedAccess & { link?: Link }> {
    const licence = await lookups.licence(sub.licenceId);
    if (licence?.state !== 'active') return { reasons: [{ clause: 'validity', message: `the licence is ${licence?.state ?? 'gone'}` }] };
    const [dataset, version] = await Promise.all([lookups.dataset(d.datasetId), lookups.version(d.datasetId, d.version)]);
    if (!dataset || !version?.objectKey || version.status !== 'published') return { reasons: [{ clause: 'availability', message: `version ${d.version} is no longer published` }] };
    // Planned once per licence and run, and handed to the decision: the same plan names the object every attempt presigns.
    const enforcement = await lookups.computed(`enforcement:${licence.id}:${d.datasetId}:${d.version}`, () => this.deps.accessService.enforcementOf(licence, dataset.format, dataset.schema?.fields ?? [], version));
    let decision;
    try {
      decision = await this.deps.accessService.grantUnder(licence, { purpose: licence.purpose, version: d.version }, systemActor('feeds'), { dataset, version, enforcement });
    } catch (error) {
      // Rules (a purged version) become reasons; outages are retried by the caller.
      if (error instanceof DomainError && error.kind !== 'unavailable') return { reasons: [{ clause: 'availability', message: error.message }] };
      throw error;
    }
    // A denied enforcement plan is a denied decision, so past this point the plan is a variant or nothing.
    if (decision.decision === 'deny' || !decision.accessId) return { reasons: decision.reasons ?? [] };
    const objectKey = enforcement && !('denied' in enforcement) ? enforcement.variantKey : version.objectKey;
    const link = decision.url && decision.expiresAt ? { link: { url: decision.url, expiresAt: decision.expiresAt } } : {};
    return { access: { accessId: decision.accessId, objectKey, transforms: decision.transforms ?? [] }, ...link };
  }

  /** The state of an enforced variant, polled for up to `waitMs` until it is ready or failed. */
  private async variantState(key: string, waitMs: number, lookups: RunLookups): Promise<{ ready: true } | { ready: false; error?: string }> {
    const sleep = this.deps.sleep ?? sleepFor;
    // A variant once built stays built for the run: the subscribers sharing it read it once.
    if (lookups.readyVariants.has(key)) return { ready: true };
    for (let waited = 0; ; waited += VARIANT_POLL_MS) {
      const v = await this.deps.accessStore.getVariant(key);
      if (v?.status === 'ready') {
        lookups.readyVariants.add(key);
        return { ready: true };
      }
      if (v?.status === 'failed') return { ready: false, error: v.error ?? 'unknown error' };
      if (waited >= waitMs) return { ready: false };
      await sleep(VARIANT_POLL_MS);
    }
  }

  /** The payload of an attempt, or undefined while its enforced variant is still being built. */
  private async payloadOf(sub: StoredSubscription, d: StoredDelivery, now: Date, lookups: RunLookups, link?: Link): Promise<VersionPublishedPayload | undefined> {
    const base = { id: d.eventId, type: 'dataset.version.published' as const, datasetId: d.datasetId, version: d.version, sha256: d.sha256, publishedAt: d.publishedAt };
    if (!d.access) return { ...base, access: null, reasons: d.reasons ?? [] };
    // Each attempt re-checks the licence and version: a retry after a revocation or purge carries no link.
    const [licence, version] = await Promise.all([lookups.licence(sub.licenceId), lookups.version(d.datasetId, d.version)]);
    if (licence?.state !== 'active') return { ...base, access: null, reasons: [{ clause: 'validity', message: `the licence is ${licence?.state ?? 'gone'}` }] };
    if (version?.status !== 'published') return { ...base, access: null, reasons: [{ clause: 'availability', message: `version ${d.version} is no longer published` }] };
    const enforced = d.access.objectKey !== version.objectKey;
    if (enforced) {
      // The variants function builds it (the access event triggers it); a first attempt waits a little for it.
      const variant = await this.variantState(d.access.objectKey, d.attempts.length === 0 ? VARIANT_WAIT_MS : 0, lookups);
      if (!variant.ready && variant.error) return { ...base, access: null, reasons: [{ clause: 'enforcement', message: `the enforced variant could not be built: ${variant.error}` }] };
      if (!variant.ready && now.getTime() - Date.parse(d.createdAt) < MAX_VARIANT_DELAY_MS) return undefined;
      if (!variant.ready) return { ...base, access: null, reasons: [{ clause: 'enforcement', message: 'the enforced variant was not ready in time; ask POST /v1/licences/{id}/access' }] };
    }
    const name = `${d.datasetId}-v${d.version}${enforced ? '-enforced' : ''}.csv`;
    // The decision just taken signed this very object for as long: its link serves the attempt that follows it.
    const url = link ?? (await this.deps.objects.presignGet(d.access.objectKey, URL_SECONDS, name));
    return { ...base, access: { url: url.url, expiresAt: url.expiresAt, transforms: d.access.transforms } };
  }

  /** One attempt under the worker's claim: the access decision first (kept before anything is sent), then the POST. */
  private async attempt(sub: StoredSubscription, delivery: StoredDelivery, token: string, now: Date, lookups: RunLookups, writes: AttemptWrites): Promise<Outcome> {
    let d = delivery;
    let link: Link | undefined;
    if (!d.access && !d.reasons) {
      const { link: signed, ...prepared } = await this.prepare(sub, d, lookups);
      if (!(await writes.saveAccess(sub.id, d.eventId, token, prepared))) return 'lost';
      d = { ...d, ...prepared };
      link = signed;
    }
    const payload = await this.payloadOf(sub, d, now, lookups, link);
    if (!payload) {
      // Postponed, not attempted: the receiver has seen nothing yet.
      await writes.recordAttempt(sub.id, d.eventId, token, undefined, 'pending', new Date(now.getTime() + VARIANT_POLL_LATER_MS).toISOString());
      return 'postponed';
    }
    const body = JSON.stringify(payload);
    const timestamp = Math.floor(this.deps.clock.now().getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Comptoir-Webhooks/1',
      ...signWebhook(sub.secret, { id: deliveryId(d), timestamp, body }),
      'comptoir-event-id': d.eventId,
      'comptoir-delivery-attempt': String(d.attempts.length + 1),
      ...(isLegacySecret(sub.secret) ? { 'comptoir-signature': legacySignature(sub.secret, body, timestamp) } : {}),
    };
    let attempt: DeliveryAttempt;
    let retryable = true;
    try {
      // Checked again on every attempt (the transport also checks the address it connects to).
      await assertSafeWebhookUrl(sub.webhook.url, this.deps.urlPolicy, this.deps.resolver);
      const response = await this.deps.transport.post(sub.webhook.url, headers, body, TIMEOUT_MS);
      attempt = { at: now.toISOString(), latencyMs: Math.round(response.latencyMs), ...('statusCode' in response ? { statusCode: response.statusCode } : { error: response.error }) };
    } catch (error) {
      // An address that became private will not become public by waiting.
      if (error instanceof UnsafeWebhookUrlError) retryable = false;
      else if (!(error instanceof DomainError)) throw error;
      attempt = { at: now.toISOString(), latencyMs: 0, error: (error as Error).message };
    }
    const n = d.attempts.length + 1;
    const code = attempt.statusCode;
    if (code !== undefined && code >= 200 && code < 300) {
      if (!(await writes.recordAttempt(sub.id, d.eventId, token, attempt, 'delivered'))) return 'lost';
      if (sub.status === 'failing') await this.setStatus(sub, 'active', ['failing'], 'a delivery succeeded', 'subscription.recovered');
      return 'delivered';
    }
    if (code === 410) {
      if (!(await writes.recordAttempt(sub.id, d.eventId, token, attempt, 'gone'))) return 'lost';
      await this.setStatus(sub, 'disabled', ['active', 'failing'], 'the receiver answered 410 Gone', 'subscription.disabled');
      return 'gone';
    }
    if (retryable && isRetryable(code) && n < MAX_ATTEMPTS) {
      const next = new Date(now.getTime() + retryDelayMs(n, this.deps.random ?? Math.random)).toISOString();
      return (await writes.recordAttempt(sub.id, d.eventId, token, attempt, 'pending', next)) ? 'pending' : 'lost';
    }
    const reason = `event ${d.eventId} dead-lettered after ${n} attempt(s): ${code ?? attempt.error}`;
    // The queue first: if it fails, the delivery stays pending and is dead-lettered again later, never lost.
    await this.deps.deadLetters?.deadLettered({ ...d, status: 'dead', attempts: [...d.attempts, attempt] }, reason);
    if (!(await writes.recordAttempt(sub.id, d.eventId, token, attempt, 'dead'))) return 'lost';
    await this.setStatus(sub, 'failing', ['active', 'failing'], reason, 'subscription.failing');
    return 'dead';
  }

  /** Moves a subscription's status only from the expected ones: nothing revives a disabled subscription. */
  private async setStatus(sub: StoredSubscription, status: StoredSubscription['status'], from: StoredSubscription['status'][], reason: string, action: string): Promise<void> {
    const event = this.deps.audit.record({ actor: systemActor('feeds'), action, subject: sub.id, parties: [sub.partnerId], data: { reason } });
    await this.deps.subscriptions.updateSubscription(sub.id, { status, statusReason: reason }, event, from);
  }
}

import type { DeliveryAttempt, VersionPublishedPayload } from '../../../schemas/index.ts';
import type { AccessStore } from '../../ports/access.ts';
import type { CatalogueStore } from '../../ports/catalogue.ts';
import type { DeadLetterSink, DeliveryStore, HostResolver, PreparedAccess, StoredDelivery, StoredSubscription, SubscriptionStore, WebhookTransport } from '../../ports/feeds.ts';
import type { LicenceStore } from '../../ports/licensing.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import type { Clock } from '../../ports/time.ts';
import { AuditTrail, systemActor } from '../audit/audit-trail.ts';
import { DomainError } from '../errors.ts';
import type { AccessService } from '../licences/access-service.ts';
import { MAX_ATTEMPTS, isRetryable, retryDelayMs } from './backoff.ts';
import { signWebhook } from './webhook-signature.ts';
import { assertSafeWebhookUrl, type WebhookUrlPolicy } from './webhook-url.ts';

/** Links in deliveries live 15 minutes from each attempt. */
const URL_SECONDS = 900;
const TIMEOUT_MS = 10_000;
/** A worker holds a delivery this long: enough to build a variant and send, short enough to recover from a crash. */
const CLAIM_MS = 5 * 60_000;
const PARALLEL_DELIVERIES = 32;
/** How long the first attempt waits for the enforced variant, then how often later runs look again, and for how long. */
const VARIANT_WAIT_MS = 60_000;
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

type Reason = { clause: string; message: string };
const sleepFor = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `work` over `items`, `limit` at a time; returns how many failed (each stays claimed, then the retry schedule takes it). */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  let failed = 0;
  const lane = async () => {
    while (next < items.length) {
      try {
        await work(items[next++]!);
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return failed;
}

/** Reads shared by the deliveries of one run: one licence, dataset and version read however many subscribers. */
class RunLookups {
  private readonly memo = new Map<string, Promise<unknown>>();
  constructor(private readonly deps: Pick<DeliveryDeps, 'licences' | 'catalogue'>) {}

  licence(id: string) {
    return this.once(`l:${id}`, () => this.deps.licences.getLicence(id));
  }
  dataset(id: string) {
    return this.once(`d:${id}`, () => this.deps.catalogue.getDataset(id));
  }
  version(id: string, n: number) {
    return this.once(`v:${id}:${n}`, () => this.deps.catalogue.getVersion(id, n));
  }
  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (!this.memo.has(key)) this.memo.set(key, read());
    return this.memo.get(key) as Promise<T>;
  }
}

/** Webhook deliveries of new versions: one per subscription and event, signed, retried, dead-lettered. */
export class DeliveryService {
  constructor(private readonly deps: DeliveryDeps) {}

  /** Fans a publication out to every live subscription on its dataset; a repeated event sends nothing twice. */
  async onPublished(event: PublishedVersion): Promise<DeliveryRun> {
    const subs = (await this.deps.subscriptions.listByDataset(event.datasetId)).filter((s) => s.status !== 'disabled');
    const now = this.deps.clock.now();
    const lookups = new RunLookups(this.deps);
    let attempted = 0;
    let delivered = 0;
    const failed = await inParallel(subs, PARALLEL_DELIVERIES, async (sub) => {
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
      // Created already claimed: the first attempt follows at once, and a duplicate event finds it taken.
      if (await this.deps.deliveries.createDelivery(fresh, this.claimUntil(now))) {
        const outcome = await this.attempt(sub, fresh, now, lookups);
        attempted += 1;
        if (outcome === 'delivered') delivered += 1;
        return;
      }
      // A repeated event carries on only if no attempt was made yet and the first worker's claim lapsed (it crashed).
      const delivery = await this.deps.deliveries.getDelivery(sub.id, event.eventId);
      if (!delivery || delivery.status !== 'pending' || delivery.attempts.length > 0) return;
      const outcome = await this.process(sub, delivery, now, lookups);
      if (outcome !== undefined) attempted += 1;
      if (outcome === 'delivered') delivered += 1;
    });
    return { attempted, delivered, failed };
  }

  /** Attempts the pending deliveries due at `now` (the retry schedule). */
  async retryDue(now: Date, limit = 200): Promise<DeliveryRun> {
    const due = await this.deps.deliveries.dueBefore(now.toISOString(), limit);
    const lookups = new RunLookups(this.deps);
    let attempted = 0;
    let delivered = 0;
    const failed = await inParallel(due, PARALLEL_DELIVERIES, async ({ subscriptionId, eventId }) => {
      const [sub, delivery] = await Promise.all([this.deps.subscriptions.getSubscription(subscriptionId), this.deps.deliveries.getDelivery(subscriptionId, eventId)]);
      if (!delivery || delivery.status !== 'pending') return;
      if (!sub || sub.status === 'disabled') return this.deps.deliveries.recordAttempt(subscriptionId, eventId, undefined, 'gone');
      const outcome = await this.process(sub, delivery, now, lookups);
      if (outcome !== undefined) attempted += 1;
      if (outcome === 'delivered') delivered += 1;
    });
    return { attempted, delivered, failed };
  }

  private claimUntil(now: Date): string {
    return new Date(now.getTime() + CLAIM_MS).toISOString();
  }

  /** One attempt under a claim; undefined when another worker holds the delivery. */
  private async process(sub: StoredSubscription, delivery: StoredDelivery, now: Date, lookups: RunLookups): Promise<StoredDelivery['status'] | undefined> {
    if (!(await this.deps.deliveries.claim(sub.id, delivery.eventId, now.toISOString(), this.claimUntil(now)))) return undefined;
    return this.attempt(sub, delivery, now, lookups);
  }

  /** The access decision, taken once per delivery (the quota counts it once) with the enforced variant built. */
  private async prepare(sub: StoredSubscription, d: StoredDelivery, lookups: RunLookups): Promise<PreparedAccess> {
    const licence = await lookups.licence(sub.licenceId);
    if (licence?.state !== 'active') return { reasons: [{ clause: 'validity', message: `the licence is ${licence?.state ?? 'gone'}` }] };
    try {
      const [dataset, version] = await Promise.all([lookups.dataset(d.datasetId), lookups.version(d.datasetId, d.version)]);
      if (!dataset || !version?.objectKey || version.status !== 'published') return { reasons: [{ clause: 'availability', message: `version ${d.version} is no longer published` }] };
      const decision = await this.deps.accessService.grantUnder(licence, { purpose: licence.purpose, version: d.version }, systemActor('feeds'), { dataset, version });
      if (decision.decision === 'deny' || !decision.accessId) return { reasons: decision.reasons ?? [] };
      const enforcement = await this.deps.accessService.enforcementOf(licence, dataset.format, dataset.schema?.fields ?? [], version);
      if (enforcement && 'denied' in enforcement) return { reasons: [enforcement.denied] };
      const objectKey = enforcement?.variantKey ?? version.objectKey;
      // The variants function builds it (the access event triggers it); waiting here lets the first attempt carry the link.
      if (decision.status === 'preparing') await this.variantState(objectKey, VARIANT_WAIT_MS);
      return { access: { accessId: decision.accessId, objectKey, transforms: decision.transforms ?? [] } };
    } catch (error) {
      // Rules (a purged version, a failed variant) become reasons; outages are retried by the caller.
      if (error instanceof DomainError && error.kind !== 'unavailable') return { reasons: [{ clause: 'availability', message: error.message }] };
      throw error;
    }
  }

  /** The state of an enforced variant, polled for up to `waitMs` until it is ready or failed. */
  private async variantState(key: string, waitMs: number): Promise<{ ready: true } | { ready: false; error?: string }> {
    const sleep = this.deps.sleep ?? sleepFor;
    for (let waited = 0; ; waited += VARIANT_POLL_MS) {
      const v = await this.deps.accessStore.getVariant(key);
      if (v?.status === 'ready') return { ready: true };
      if (v?.status === 'failed') return { ready: false, error: v.error ?? 'unknown error' };
      if (waited >= waitMs) return { ready: false };
      await sleep(VARIANT_POLL_MS);
    }
  }

  /** The payload of an attempt, or undefined while its enforced variant is still being built. */
  private async payloadOf(sub: StoredSubscription, d: StoredDelivery, now: Date, lookups: RunLookups): Promise<VersionPublishedPayload | undefined> {
    const base = { id: d.eventId, type: 'dataset.version.published' as const, datasetId: d.datasetId, version: d.version, sha256: d.sha256, publishedAt: d.publishedAt };
    if (!d.access) return { ...base, access: null, reasons: d.reasons ?? [] };
    // Each attempt re-checks the licence and version: a retry after a revocation or purge carries no link.
    const [licence, version] = await Promise.all([lookups.licence(sub.licenceId), lookups.version(d.datasetId, d.version)]);
    if (licence?.state !== 'active') return { ...base, access: null, reasons: [{ clause: 'validity', message: `the licence is ${licence?.state ?? 'gone'}` }] };
    if (version?.status !== 'published') return { ...base, access: null, reasons: [{ clause: 'availability', message: `version ${d.version} is no longer published` }] };
    const enforced = d.access.objectKey !== version.objectKey;
    if (enforced) {
      const variant = await this.variantState(d.access.objectKey, 0);
      if (!variant.ready && variant.error) return { ...base, access: null, reasons: [{ clause: 'enforcement', message: `the enforced variant could not be built: ${variant.error}` }] };
      if (!variant.ready && now.getTime() - Date.parse(d.createdAt) < MAX_VARIANT_DELAY_MS) return undefined;
      if (!variant.ready) return { ...base, access: null, reasons: [{ clause: 'enforcement', message: 'the enforced variant was not ready in time; ask POST /v1/licences/{id}/access' }] };
    }
    const name = `${d.datasetId}-v${d.version}${enforced ? '-enforced' : ''}.csv`;
    const url = await this.deps.objects.presignGet(d.access.objectKey, URL_SECONDS, name);
    return { ...base, access: { url: url.url, expiresAt: url.expiresAt, transforms: d.access.transforms } };
  }

  /** Prepares the access on the first attempt, sends, and records the outcome with it. */
  private async attempt(sub: StoredSubscription, delivery: StoredDelivery, now: Date, lookups: RunLookups): Promise<StoredDelivery['status']> {
    const prepared = delivery.access || delivery.reasons ? undefined : await this.prepare(sub, delivery, lookups);
    const d: StoredDelivery = { ...delivery, ...prepared };
    const payload = await this.payloadOf(sub, d, now, lookups);
    if (!payload) {
      // Postponed, not attempted: the receiver has seen nothing yet.
      await this.deps.deliveries.recordAttempt(sub.id, d.eventId, undefined, 'pending', new Date(now.getTime() + VARIANT_POLL_LATER_MS).toISOString(), prepared);
      return 'pending';
    }
    const body = JSON.stringify(payload);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Comptoir-Webhooks/1',
      'comptoir-event-id': d.eventId,
      'comptoir-delivery-attempt': String(d.attempts.length + 1),
      'comptoir-signature': signWebhook(sub.secret, body, Math.floor(this.deps.clock.now().getTime() / 1000)),
    };
    let attempt: DeliveryAttempt;
    try {
      // Checked again on every attempt: DNS may have moved the name to a private address since creation.
      await assertSafeWebhookUrl(sub.webhook.url, this.deps.urlPolicy, this.deps.resolver);
      const response = await this.deps.transport.post(sub.webhook.url, headers, body, TIMEOUT_MS);
      attempt = { at: now.toISOString(), latencyMs: Math.round(response.latencyMs), ...('statusCode' in response ? { statusCode: response.statusCode } : { error: response.error }) };
    } catch (error) {
      attempt = { at: now.toISOString(), latencyMs: 0, error: (error as Error).message };
    }
    const n = d.attempts.length + 1;
    const code = attempt.statusCode;
    if (code !== undefined && code >= 200 && code < 300) {
      await this.deps.deliveries.recordAttempt(sub.id, d.eventId, attempt, 'delivered', undefined, prepared);
      if (sub.status === 'failing') await this.setStatus(sub, 'active', 'a delivery succeeded', 'subscription.recovered');
      return 'delivered';
    }
    if (code === 410) {
      await this.deps.deliveries.recordAttempt(sub.id, d.eventId, attempt, 'gone', undefined, prepared);
      await this.setStatus(sub, 'disabled', 'the receiver answered 410 Gone', 'subscription.disabled');
      return 'gone';
    }
    if (isRetryable(code) && n < MAX_ATTEMPTS) {
      const next = new Date(now.getTime() + retryDelayMs(n, this.deps.random ?? Math.random)).toISOString();
      await this.deps.deliveries.recordAttempt(sub.id, d.eventId, attempt, 'pending', next, prepared);
      return 'pending';
    }
    const reason = `event ${d.eventId} dead-lettered after ${n} attempt(s): ${code ?? attempt.error}`;
    await this.deps.deliveries.recordAttempt(sub.id, d.eventId, attempt, 'dead', undefined, prepared);
    await this.setStatus(sub, 'failing', reason, 'subscription.failing');
    await this.deps.deadLetters?.deadLettered({ ...d, status: 'dead', attempts: [...d.attempts, attempt] }, reason);
    return 'dead';
  }

  private async setStatus(sub: StoredSubscription, status: StoredSubscription['status'], reason: string, action: string): Promise<void> {
    const event = this.deps.audit.record({ actor: systemActor('feeds'), action, subject: sub.id, parties: [sub.partnerId], data: { reason } });
    await this.deps.subscriptions.updateSubscription(sub.id, { status, statusReason: reason }, event);
  }
}

import { randomBytes } from 'node:crypto';
import type { CreateSubscriptionRequest, Delivery, Subscription, SubscriptionWithSecret } from '../../../schemas/index.ts';
import type { DeliveryStore, HostResolver, StoredSubscription, SubscriptionStore } from '../../ports/feeds.ts';
import type { LicenceStore } from '../../ports/licensing.ts';
import type { Clock, IdGenerator } from '../../ports/time.ts';
import { AuditTrail, actorOf } from '../audit/audit-trail.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import type { Principal } from '../model.ts';
import { LicenceNotFoundError } from '../licences/errors.ts';
import { assertSafeWebhookUrl, type WebhookUrlPolicy } from './webhook-url.ts';
import { isLegacySecret, secretOf } from './webhook-signature.ts';

/** A partner holds at most this many subscriptions: each one is a POST per publication. */
const MAX_SUBSCRIPTIONS_PER_PARTNER = 500;
const DELIVERIES_LISTED = 100;

export class SubscriptionNotFoundError extends NotFoundError {
  constructor(id: string, options?: ErrorOptions) {
    super('subscription', id, options);
  }
}

export interface SubscriptionDeps {
  readonly subscriptions: SubscriptionStore;
  readonly deliveries: DeliveryStore;
  readonly licences: LicenceStore;
  readonly resolver: HostResolver;
  readonly urlPolicy: WebhookUrlPolicy;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

const newSecret = () => secretOf(randomBytes(32));
/** The public view: the secret never leaves after creation or rotation, only whether it still gets the former header. */
export const publicSubscription = ({ secret, ...s }: StoredSubscription): Subscription => ({ ...s, legacySignature: isLegacySecret(secret) });

/** Webhook subscriptions of licensees to the new versions of the datasets they license. */
export class SubscriptionService {
  constructor(private readonly deps: SubscriptionDeps) {}

  async create(principal: Principal, req: CreateSubscriptionRequest): Promise<SubscriptionWithSecret> {
    const licence = await this.deps.licences.getLicence(req.licenceId);
    if (!licence || (licence.licensee.id !== principal.partnerId && licence.licensor.id !== principal.partnerId)) throw new LicenceNotFoundError(req.licenceId);
    if (licence.licensee.id !== principal.partnerId) throw new ForbiddenError('only the licensee subscribes to feeds under a licence', 'licensee_only');
    const url = await assertSafeWebhookUrl(req.webhook.url, this.deps.urlPolicy, this.deps.resolver);
    const existing = await this.deps.subscriptions.listByPartner(principal.partnerId);
    if (existing.length >= MAX_SUBSCRIPTIONS_PER_PARTNER) throw new ForbiddenError(`a partner holds at most ${MAX_SUBSCRIPTIONS_PER_PARTNER} subscriptions`, 'subscription_limit');
    const now = this.deps.clock.now().toISOString();
    const stored: StoredSubscription = {
      id: this.deps.ids.next('sub'),
      licenceId: licence.id,
      datasetId: licence.datasetId,
      partnerId: principal.partnerId,
      webhook: { url: url.toString() },
      status: 'active',
      createdAt: now,
      secretRotatedAt: now,
      secret: newSecret(),
    };
    // The host only: a URL's path or query may carry the receiver's own token.
    const event = this.deps.audit.record({ actor: actorOf(principal), action: 'subscription.created', subject: stored.id, parties: [principal.partnerId], data: { licenceId: licence.id, datasetId: licence.datasetId, webhookHost: url.host } });
    await this.deps.subscriptions.putSubscription(stored, event);
    return { subscription: publicSubscription(stored), secret: stored.secret };
  }

  async list(principal: Principal): Promise<{ items: Subscription[] }> {
    const items = await this.deps.subscriptions.listByPartner(principal.partnerId);
    return { items: items.map(publicSubscription) };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const s = await this.owned(principal, id);
    const event = this.deps.audit.record({ actor: actorOf(principal), action: 'subscription.deleted', subject: id, parties: [principal.partnerId], data: { licenceId: s.licenceId } });
    if (!(await this.deps.subscriptions.deleteSubscription(id, event))) throw new SubscriptionNotFoundError(id);
  }

  async rotateSecret(principal: Principal, id: string): Promise<SubscriptionWithSecret> {
    const s = await this.owned(principal, id);
    const secret = newSecret();
    const secretRotatedAt = this.deps.clock.now().toISOString();
    const event = this.deps.audit.record({ actor: actorOf(principal), action: 'subscription.secret_rotated', subject: id, parties: [principal.partnerId], data: {} });
    if (!(await this.deps.subscriptions.updateSubscription(id, { secret, secretRotatedAt }, event))) throw new SubscriptionNotFoundError(id);
    return { subscription: publicSubscription({ ...s, secretRotatedAt, secret }), secret };
  }

  /** The latest deliveries of a subscription with every attempt (the access object key stays inside). */
  async deliveries(principal: Principal, id: string): Promise<{ items: Delivery[] }> {
    await this.owned(principal, id);
    const items = await this.deps.deliveries.listDeliveries(id, DELIVERIES_LISTED);
    return {
      items: items.map((d) => ({
        eventId: d.eventId,
        subscriptionId: d.subscriptionId,
        datasetId: d.datasetId,
        version: d.version,
        status: d.status,
        attempts: d.attempts,
        ...(d.nextAttemptAt ? { nextAttemptAt: d.nextAttemptAt } : {}),
        createdAt: d.createdAt,
      })),
    };
  }

  /** The caller's subscription; someone else's answers 404, like a missing one. */
  async owned(principal: Principal, id: string): Promise<StoredSubscription> {
    const s = await this.deps.subscriptions.getSubscription(id);
    if (!s || s.partnerId !== principal.partnerId) throw new SubscriptionNotFoundError(id);
    return s;
  }
}

import { DynamoFeedStore } from '../adapters/dynamo/feed-store.ts';
import { DynamoLicenceStore } from '../adapters/dynamo/licence-store.ts';
import { systemResolver } from '../adapters/net/webhook-client.ts';
import { FeedService } from '../domain/feeds/feed-service.ts';
import { SubscriptionService } from '../domain/feeds/subscription-service.ts';
import type { WebhookUrlPolicy } from '../domain/feeds/webhook-url.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { auditTrail as audit, clock, ids } from './core.ts';
import { optionalEnv } from './env.ts';
import { documentClient, tableName } from './table.ts';

export const feedStore = new DynamoFeedStore(documentClient, tableName);
const licences = new DynamoLicenceStore(documentClient, tableName);
/** Plain http to loopback is for the local runtime only; the cloud stack never sets it. */
export const webhookUrlPolicy: WebhookUrlPolicy = { allowLoopbackHttp: optionalEnv('COMPTOIR_WEBHOOKS_ALLOW_LOOPBACK_HTTP') === 'true' };

/** Webhook subscriptions of this process. */
export const subscriptionService = new SubscriptionService({ subscriptions: feedStore, deliveries: feedStore, licences, resolver: systemResolver, urlPolicy: webhookUrlPolicy, audit, clock, ids });
/** Pull feeds of this process. */
export const feedService = new FeedService({ licences, catalogue });

import { routes } from '../../schemas/routes.ts';
import { dispatch } from '../http/dispatch.ts';
import { HttpReply } from '../http/responses.ts';
import { implement } from '../http/route-handler.ts';
import { publicBaseUrl } from '../wiring/public-url.ts';
import { feedService as feeds, subscriptionService as subscriptions } from '../wiring/feeds.ts';

export const createSubscription = implement(routes.createSubscription, ({ principal, body }) => subscriptions.create(principal, body));
export const listSubscriptions = implement(routes.listSubscriptions, ({ principal }) => subscriptions.list(principal));
export const deleteSubscription = implement(routes.deleteSubscription, ({ principal, params }) => subscriptions.remove(principal, params.id));
export const rotateSubscriptionSecret = implement(routes.rotateSubscriptionSecret, ({ principal, params }) => subscriptions.rotateSecret(principal, params.id));
export const listDeliveries = implement(routes.listDeliveries, ({ principal, params }) => subscriptions.deliveries(principal, params.id));
export const getFeed = implement(routes.getFeed, async ({ principal, params }) =>
  HttpReply.json(await feeds.feedOf(principal, params.datasetId, publicBaseUrl), 'application/feed+json; charset=utf-8'),
);

/** Lambda entry of the `feeds` function group. */
export const handler = dispatch('feeds', { createSubscription, listSubscriptions, deleteSubscription, rotateSubscriptionSecret, listDeliveries, getFeed });

import { FetchWebhookTransport, systemResolver } from '../adapters/net/webhook-client.ts';
import { DeliveryService } from '../domain/feeds/delivery-service.ts';
import { accessService, accessStore, licenceReader as licences } from './access.ts';
import { catalogueStore as catalogue } from './catalogue-store.ts';
import { clock } from './core.ts';
import { feedStore, webhookUrlPolicy } from './feeds.ts';
import { objectStore as objects } from './storage.ts';
import { variantBuilder } from './variants.ts';

/** Webhook deliveries of this process: fan-out on publication and the retry schedule. */
export const deliveryService = new DeliveryService({
  subscriptions: feedStore,
  deliveries: feedStore,
  licences,
  catalogue,
  accessService,
  variants: variantBuilder,
  accessStore,
  objects,
  transport: new FetchWebhookTransport(),
  resolver: systemResolver,
  urlPolicy: webhookUrlPolicy,
  clock,
});

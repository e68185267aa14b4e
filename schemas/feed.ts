import * as z from 'zod';
import { InstantSchema } from './common.ts';

/** Body of `POST /v1/subscriptions`: a webhook notified of new versions under one licence. */
export const CreateSubscriptionRequestSchema = z
  .object({
    licenceId: z.string().min(1).max(64),
    webhook: z.object({ url: z.url({ protocol: /^https?$/ }).max(2048).meta({ description: 'https (http only to loopback on the local runtime)' }) }).strict(),
  })
  .strict()
  .meta({ id: 'CreateSubscriptionRequest' });
export type CreateSubscriptionRequest = z.infer<typeof CreateSubscriptionRequestSchema>;

export const SubscriptionStatusSchema = z.enum(['active', 'failing', 'disabled']);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatusSchema>;

export const SubscriptionSchema = z
  .object({
    id: z.string(),
    licenceId: z.string(),
    datasetId: z.string(),
    partnerId: z.string(),
    webhook: z.object({ url: z.string() }),
    status: SubscriptionStatusSchema.meta({ description: '`failing` once a delivery is dead-lettered; `disabled` after a 410 Gone' }),
    statusReason: z.string().optional(),
    createdAt: InstantSchema,
    secretRotatedAt: InstantSchema,
    legacySignature: z.boolean().meta({ description: 'true while the secret predates Standard Webhooks (base64url): deliveries also carry the former `Comptoir-Signature` header; rotating the secret ends it' }),
  })
  .meta({ id: 'Subscription' });
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const SubscriptionWithSecretSchema = z
  .object({
    subscription: SubscriptionSchema,
    secret: z.string().meta({ description: 'Standard Webhooks secret `whsec_<base64>` (the HMAC-SHA-256 key of `webhook-signature` is the base64 after the prefix), shown only now' }),
  })
  .meta({ id: 'SubscriptionWithSecret' });
export type SubscriptionWithSecret = z.infer<typeof SubscriptionWithSecretSchema>;
export const SubscriptionListSchema = z.object({ items: z.array(SubscriptionSchema) }).meta({ id: 'SubscriptionList' });

export const DeliveryAttemptSchema = z.object({
  at: InstantSchema,
  statusCode: z.number().int().optional(),
  latencyMs: z.number().int(),
  error: z.string().optional(),
});
export type DeliveryAttempt = z.infer<typeof DeliveryAttemptSchema>;

export const DeliveryStatusSchema = z.enum(['pending', 'delivered', 'dead', 'gone']);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

export const DeliverySchema = z
  .object({
    eventId: z.string(),
    subscriptionId: z.string(),
    datasetId: z.string(),
    version: z.number().int(),
    status: DeliveryStatusSchema,
    attempts: z.array(DeliveryAttemptSchema),
    nextAttemptAt: InstantSchema.optional(),
    createdAt: InstantSchema,
  })
  .meta({ id: 'Delivery' });
export type Delivery = z.infer<typeof DeliverySchema>;
export const DeliveryListSchema = z.object({ items: z.array(DeliverySchema) }).meta({ id: 'DeliveryList' });

/** The body every webhook receives for `dataset.version.published`. */
export const VersionPublishedPayloadSchema = z
  .object({
    id: z.string().meta({ description: 'The event id: de-duplicate on it, deliveries are at-least-once' }),
    type: z.literal('dataset.version.published'),
    datasetId: z.string(),
    version: z.number().int(),
    sha256: z.string(),
    publishedAt: InstantSchema,
    access: z.object({ url: z.string(), expiresAt: InstantSchema, transforms: z.array(z.unknown()) }).nullable(),
    reasons: z.array(z.object({ clause: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'VersionPublishedPayload' });
export type VersionPublishedPayload = z.infer<typeof VersionPublishedPayloadSchema>;

export const FeedPathSchema = z.object({ datasetId: z.string().min(1).max(64) });

/** JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of the versions a caller's licences cover. */
export const JsonFeedSchema = z
  .object({
    version: z.literal('https://jsonfeed.org/version/1.1'),
    title: z.string(),
    description: z.string(),
    language: z.literal('fr').meta({ description: 'RFC 5646 tag of every text of the feed' }),
    home_page_url: z.string().meta({ description: "The dataset's page in the console" }),
    feed_url: z.string(),
    items: z.array(
      z.object({
        id: z.string(),
        url: z.string().meta({ description: "The dataset's page in the console, where the version is listed" }),
        title: z.string(),
        content_text: z.string(),
        date_published: InstantSchema,
        _comptoir: z.object({ datasetId: z.string(), version: z.number().int(), sha256: z.string(), licenceIds: z.array(z.string()) }).strict(),
      }).strict(),
    ),
  })
  .strict()
  .meta({ id: 'JsonFeed' });
export type JsonFeed = z.infer<typeof JsonFeedSchema>;

// One implementation for the platform and for receivers: the dependency-free module published as `comptoir/webhooks`.
import { webhookKey } from '../../../sdk/webhooks.mjs';

export { SIGNATURE_TOLERANCE_SECONDS, signWebhook, verifyWebhook, webhookKey, type WebhookHeaders, type WebhookVerification } from '../../../sdk/webhooks.mjs';

/** A new secret: `whsec_` and the standard base64 of 32 random bytes. */
export const secretOf = (key: Uint8Array): string => `whsec_${Buffer.from(key).toString('base64')}`;

/**
 * Secrets issued before Standard Webhooks are `whsec_` and base64url without padding: the same 32 key bytes,
 * but Standard Webhooks libraries decode only standard base64, so their deliveries still carry the former header.
 */
export const isLegacySecret = (secret: string): boolean => secret !== secretOf(webhookKey(secret));

/** The `webhook-id` of a delivery: one per subscription and event, the same on every retry. */
export const deliveryId = (d: { readonly subscriptionId: string; readonly eventId: string }): string => `${d.subscriptionId}_${d.eventId}`;

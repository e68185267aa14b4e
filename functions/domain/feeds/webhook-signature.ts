// One implementation for the platform and for receivers: the dependency-free module published as `comptoir/webhooks`.
export { SIGNATURE_TOLERANCE_SECONDS, signWebhook, verifyWebhook, type WebhookVerification } from '../../../sdk/webhooks.mjs';

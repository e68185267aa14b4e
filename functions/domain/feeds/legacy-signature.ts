import { createHmac } from 'node:crypto';

/**
 * The former `Comptoir-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256 of "t.body">`, keyed with the secret's
 * text: still sent to subscriptions whose secret predates Standard Webhooks, so their receivers keep working until they rotate it.
 */
export function legacySignature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`;
}

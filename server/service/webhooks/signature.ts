import { createHmac } from 'node:crypto';

/** The header that carries a delivery's signature. */
export const SIGNATURE_HEADER = 'X-HubShare-Signature';
/** The header that names the event's type. */
export const EVENT_HEADER = 'X-HubShare-Event';
/** The header that carries the delivery's id: the same on every retry, so receivers can de-duplicate. */
export const DELIVERY_HEADER = 'X-HubShare-Delivery';

/**
 * The signature header's value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * Signing the time with the body lets a receiver refuse replays of old deliveries.
 */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${digest}`;
}

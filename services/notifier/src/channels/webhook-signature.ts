import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, in the scheme Stripe and Slack use: the sender puts the Unix time in
 * `Vigil-Timestamp` and `v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` in `Vigil-Signature`
 * (during a secret rotation, one `v1=` per secret, comma-separated). Binding the timestamp into the
 * MAC lets a receiver refuse replays outside a tolerance window. Receivers must verify the raw bytes
 * they received, before parsing: re-serialised JSON is not the same bytes.
 */
export const WEBHOOK_TIMESTAMP_HEADER = 'Vigil-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'Vigil-Signature';
export const WEBHOOK_SIGNATURE_VERSION = 'v1';
/** Five minutes, as Stripe and Slack: covers clock skew and retries in flight, not a stored replay. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

function mac(secret: string, timestamp: string, body: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The two headers for one body, signed with each secret (the current one first). */
export function signWebhook(
  body: string | Buffer,
  secrets: readonly string[],
  now: Date = new Date(),
): Record<typeof WEBHOOK_TIMESTAMP_HEADER | typeof WEBHOOK_SIGNATURE_HEADER, string> {
  if (!secrets.length) throw new Error('signWebhook needs at least one secret');
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signatures = secrets.map(
    (secret) => `${WEBHOOK_SIGNATURE_VERSION}=${mac(secret, timestamp, body).toString('hex')}`,
  );
  return { [WEBHOOK_TIMESTAMP_HEADER]: timestamp, [WEBHOOK_SIGNATURE_HEADER]: signatures.join(',') };
}

export interface VerifyWebhookInput {
  /** The request body exactly as received. */
  body: string | Buffer;
  /** The `Vigil-Timestamp` header value. */
  timestamp: string | string[] | undefined;
  /** The `Vigil-Signature` header value. */
  signature: string | string[] | undefined;
  /** The shared secret; several while rotating (any one may match). */
  secret: string | readonly string[];
  toleranceSeconds?: number;
  now?: Date;
}

export type WebhookVerification =
  { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * Checks a received webhook: the signature must match one of the secrets (compared in constant
 * time) and the timestamp must be within `toleranceSeconds` of `now`, either way.
 */
export function verifyWebhookSignature(input: VerifyWebhookInput): WebhookVerification {
  const timestamp = single(input.timestamp);
  const header = single(input.signature);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !header) return { ok: false, reason: 'malformed' };

  const received = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${WEBHOOK_SIGNATURE_VERSION}=`))
    .map((part) => part.slice(WEBHOOK_SIGNATURE_VERSION.length + 1))
    .filter((hex) => /^[0-9a-f]{64}$/i.test(hex))
    .map((hex) => Buffer.from(hex, 'hex'));
  if (!received.length) return { ok: false, reason: 'malformed' };

  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  let matched = false;
  for (const secret of secrets) {
    const expected = mac(secret, timestamp, input.body);
    // No early exit: the time taken does not depend on which signature matched.
    for (const candidate of received) if (timingSafeEqual(expected, candidate)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'mismatch' };

  const tolerance = input.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const sentAt = Number(timestamp);
  if (Math.abs(nowSeconds - sentAt) > tolerance) return { ok: false, reason: 'stale' };
  return { ok: true, timestamp: sentAt };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

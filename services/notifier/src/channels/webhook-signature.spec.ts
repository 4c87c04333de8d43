import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const secret = 'whsec_0123456789abcdef0123456789abcdef';
const body = '{"version":1,"id":"n-1","kind":"triggered"}';
const sentAt = new Date('2026-05-01T12:00:00.000Z');

function signed(bodyToSign = body, secrets = [secret], at = sentAt) {
  const headers = signWebhook(bodyToSign, secrets, at);
  return { timestamp: headers['Vigil-Timestamp'], signature: headers['Vigil-Signature'] };
}

describe('webhook signatures', () => {
  it('is v1=<hex HMAC-SHA256 of "<unix seconds>.<body>"> — what a receiver in any language computes', () => {
    const { timestamp, signature } = signed();
    expect(timestamp).toBe('1777636800');
    const expected = createHmac('sha256', secret).update(`1777636800.${body}`).digest('hex');
    expect(signature).toBe(`v1=${expected}`);
  });

  it('verifies what was signed, within the tolerance either side', () => {
    const { timestamp, signature } = signed();
    const at = (seconds: number) => new Date(sentAt.getTime() + seconds * 1000);
    expect(verifyWebhookSignature({ body, timestamp, signature, secret, now: at(0) })).toEqual({
      ok: true,
      timestamp: 1777636800,
    });
    expect(verifyWebhookSignature({ body, timestamp, signature, secret, now: at(300) }).ok).toBe(true);
    expect(
      verifyWebhookSignature({ body: Buffer.from(body), timestamp, signature, secret, now: at(-300) }).ok,
    ).toBe(true);
  });

  it('refuses a stale or future timestamp, even with a valid signature', () => {
    const { timestamp, signature } = signed();
    const now = new Date(sentAt.getTime() + 301_000);
    expect(verifyWebhookSignature({ body, timestamp, signature, secret, now })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(
      verifyWebhookSignature({
        body,
        timestamp,
        signature,
        secret,
        now: new Date(sentAt.getTime() - 301_000),
      }),
    ).toEqual({ ok: false, reason: 'stale' });
    expect(
      verifyWebhookSignature({
        body,
        timestamp,
        signature,
        secret,
        now: new Date(sentAt.getTime() + 3_600_000),
        toleranceSeconds: 3600,
      }).ok,
    ).toBe(true);
  });

  it('refuses a changed body, a moved timestamp, another secret and a changed signature', () => {
    const { timestamp, signature } = signed();
    const now = sentAt;
    const mismatch = { ok: false, reason: 'mismatch' };
    expect(
      verifyWebhookSignature({ body: body.replace('n-1', 'n-2'), timestamp, signature, secret, now }),
    ).toEqual(mismatch);
    expect(verifyWebhookSignature({ body: `${body} `, timestamp, signature, secret, now })).toEqual(mismatch);
    // Replaying an old body with a fresh timestamp does not work: the timestamp is inside the MAC.
    expect(verifyWebhookSignature({ body, timestamp: '1777636801', signature, secret, now })).toEqual(
      mismatch,
    );
    expect(verifyWebhookSignature({ body, timestamp, signature, secret: `${secret}x`, now })).toEqual(
      mismatch,
    );
    const flipped = signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0');
    expect(verifyWebhookSignature({ body, timestamp, signature: flipped, secret, now })).toEqual(mismatch);
  });

  it('refuses missing or malformed headers', () => {
    const { timestamp, signature } = signed();
    const malformed = { ok: false, reason: 'malformed' };
    const now = sentAt;
    expect(verifyWebhookSignature({ body, timestamp: undefined, signature, secret, now })).toEqual(malformed);
    expect(verifyWebhookSignature({ body, timestamp, signature: undefined, secret, now })).toEqual(malformed);
    expect(verifyWebhookSignature({ body, timestamp: 'yesterday', signature, secret, now })).toEqual(
      malformed,
    );
    expect(verifyWebhookSignature({ body, timestamp, signature: 'v0=abc', secret, now })).toEqual(malformed);
    expect(
      verifyWebhookSignature({ body, timestamp, signature: signature.slice(0, 20), secret, now }),
    ).toEqual(malformed);
    expect(
      verifyWebhookSignature({ body, timestamp: [timestamp, timestamp], signature, secret, now }),
    ).toEqual(malformed);
  });

  it('carries one signature per secret while rotating, and receivers accept any of theirs', () => {
    const oldSecret = 'whsec_old_old_old_old_old_old_old';
    const { timestamp, signature } = signed(body, [secret, oldSecret]);
    expect(signature.split(',')).toHaveLength(2);
    const now = sentAt;
    expect(verifyWebhookSignature({ body, timestamp, signature, secret: oldSecret, now }).ok).toBe(true);
    expect(verifyWebhookSignature({ body, timestamp, signature, secret, now }).ok).toBe(true);
    expect(
      verifyWebhookSignature({ body, timestamp, signature, secret: ['another-secret-entirely', secret], now })
        .ok,
    ).toBe(true);
    expect(() => signWebhook(body, [])).toThrow(/at least one secret/);
  });
});

import { ActionLinkRequest, actionLinkUrl, signActionLink, verifyActionLink } from './action-links';

const secret = 'k1-0123456789abcdef0123456789abcdef';
const newer = 'k2-fedcba9876543210fedcba9876543210';
const now = new Date('2026-05-01T12:00:00.000Z');
const request: ActionLinkRequest = {
  action: 'acknowledge',
  targetKind: 'alert',
  targetId: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
  expiresAt: new Date('2026-05-02T12:00:00.000Z'),
  nonce: 'bm9uY2Utbm9uY2Utbm9uY2U',
};

function reencode(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [version, claimsPart, macPart] = token.split('.');
  const claims = JSON.parse(Buffer.from(claimsPart, 'base64url').toString('utf8')) as Record<string, unknown>;
  change(claims);
  return [version, Buffer.from(JSON.stringify(claims)).toString('base64url'), macPart].join('.');
}

describe('action links', () => {
  it('round-trips: the verified link says what was signed, with a command id for idempotency', () => {
    const token = signActionLink(request, secret);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyActionLink(token, secret, now)).toEqual({
      ok: true,
      link: {
        action: 'acknowledge',
        targetKind: 'alert',
        targetId: request.targetId,
        expiresAt: request.expiresAt,
        nonce: request.nonce,
        commandId: `link:${request.nonce}`,
      },
    });
  });

  it('gives each link its own random nonce, hence its own command id', () => {
    const { nonce: _nonce, ...withoutNonce } = request;
    const a = verifyActionLink(signActionLink(withoutNonce, secret), secret, now);
    const b = verifyActionLink(signActionLink(withoutNonce, secret), secret, now);
    expect(a.ok && b.ok && a.link.commandId !== b.link.commandId).toBe(true);
  });

  it('expires at its expiry second', () => {
    const token = signActionLink(request, secret);
    expect(verifyActionLink(token, secret, new Date(request.expiresAt.getTime() - 1000)).ok).toBe(true);
    expect(verifyActionLink(token, secret, request.expiresAt)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyActionLink(token, secret, new Date('2027-01-01T00:00:00Z'))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a token whose claims were changed (action, target, expiry) as tampered', () => {
    const token = signActionLink(request, secret);
    const tampered = { ok: false, reason: 'tampered' };
    expect(
      verifyActionLink(
        reencode(token, (c) => (c.a = 'resolve')),
        secret,
        now,
      ),
    ).toEqual(tampered);
    expect(
      verifyActionLink(
        reencode(token, (c) => (c.i = 'another-alert')),
        secret,
        now,
      ),
    ).toEqual(tampered);
    // Extending an expired link is the obvious attack: still tampered, never "expired".
    const extended = reencode(token, (c) => (c.e = 4102444800));
    expect(verifyActionLink(extended, secret, new Date('2030-01-01T00:00:00Z'))).toEqual(tampered);
    const macPart = token.split('.')[2];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(macPart.at(-1)!);
    // A changed MAC bit, and a change only in the spare bits base64 decoding ignores.
    for (const changed of [alphabet[last ^ 0b100000], alphabet[last ^ 0b1]]) {
      expect(verifyActionLink(token.slice(0, -1) + changed, secret, now)).toEqual(tampered);
    }
    expect(verifyActionLink(token, newer, now)).toEqual(tampered);
  });

  it('refuses what is not a token as malformed', () => {
    const token = signActionLink(request, secret);
    const malformed = { ok: false, reason: 'malformed' };
    for (const bad of [
      '',
      'garbage',
      token.replace(/^v1/, 'v2'),
      `${token}.extra`,
      token.split('.').slice(0, 2).join('.'),
      token.replace(/\.[^.]+$/, '.short'),
      `v1.${'%%%'}.${token.split('.')[2]}`,
      `v1.${'a'.repeat(2000)}.${token.split('.')[2]}`,
    ]) {
      expect(verifyActionLink(bad, secret, now)).toEqual(malformed);
    }
  });

  it('rotates keys: signs with the first, accepts any listed, refuses a retired one', () => {
    const oldToken = signActionLink(request, [secret]);
    expect(verifyActionLink(oldToken, [newer, secret], now).ok).toBe(true);
    const newToken = signActionLink(request, [newer, secret]);
    expect(verifyActionLink(newToken, [newer], now).ok).toBe(true);
    expect(verifyActionLink(newToken, [secret], now)).toEqual({ ok: false, reason: 'tampered' });
    expect(verifyActionLink(oldToken, [newer], now)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('refuses weak keys and bad requests when signing', () => {
    expect(() => signActionLink(request, 'short')).toThrow(/at least 32 characters/);
    expect(() => signActionLink(request, [])).toThrow(/at least one secret/);
    expect(() => signActionLink({ ...request, targetId: 'has space' }, secret)).toThrow(/targetId/);
    expect(() => signActionLink({ ...request, expiresAt: new Date(NaN) }, secret)).toThrow(/expiresAt/);
    expect(() => verifyActionLink('v1.a.b', 'short', now)).toThrow(/at least 32 characters/);
  });

  it('builds the link a notification shows', () => {
    expect(actionLinkUrl('https://vigil.example.org/', 'v1.abc.def')).toBe(
      'https://vigil.example.org/actions/v1.abc.def',
    );
  });
});

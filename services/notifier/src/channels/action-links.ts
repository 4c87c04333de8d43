import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring action links: a notification carries a link per action ("acknowledge this
 * alert") that works without logging in, until it expires. The token is
 *
 *   v1.<base64url(JSON claims)>.<base64url(HMAC-SHA256(key, "vigil-action-link.v1." + claims part))>
 *
 * Claims: action, target kind and id, expiry (Unix seconds) and a random nonce. The nonce becomes the
 * correlator command's `commandId` (`link:<nonce>`), so opening the same link twice, or a retried
 * request, runs the command once. Keys rotate: sign with the first secret, accept any listed one.
 * Pure: no I/O, the clock is a parameter.
 */
export const ACTION_LINK_ACTIONS = ['acknowledge', 'resolve'] as const;
export type ActionLinkAction = (typeof ACTION_LINK_ACTIONS)[number];
export const ACTION_LINK_TARGETS = ['alert', 'incident', 'page'] as const;
export type ActionLinkTarget = (typeof ACTION_LINK_TARGETS)[number];

export interface ActionLinkRequest {
  action: ActionLinkAction;
  targetKind: ActionLinkTarget;
  targetId: string;
  expiresAt: Date;
  /** Random when not given; tests pass one to get a known token. */
  nonce?: string;
}

export interface ActionLink {
  action: ActionLinkAction;
  targetKind: ActionLinkTarget;
  targetId: string;
  expiresAt: Date;
  nonce: string;
  /** The idempotency key of the command this link runs. */
  commandId: string;
}

export type ActionLinkVerification =
  { ok: true; link: ActionLink } | { ok: false; reason: 'expired' | 'tampered' | 'malformed' };

const VERSION = 'v1';
/** Binds the MAC to this use, so no other HMAC made with the same key is a valid token. */
const DOMAIN = 'vigil-action-link.v1.';
/** 256-bit keys; a shorter secret would be the weak point of the scheme. */
export const ACTION_LINK_SECRET_MIN_LENGTH = 32;
const TOKEN_MAX_LENGTH = 1024;
const TARGET_ID = /^[!-~]{1,128}$/;
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;

interface Claims {
  a: ActionLinkAction;
  k: ActionLinkTarget;
  i: string;
  e: number;
  n: string;
}

function mac(secret: string, claimsPart: string): Buffer {
  return createHmac('sha256', secret).update(DOMAIN).update(claimsPart).digest();
}

function secretList(secrets: string | readonly string[]): readonly string[] {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (!list.length) throw new Error('action links need at least one secret');
  for (const secret of list) {
    if (secret.length < ACTION_LINK_SECRET_MIN_LENGTH) {
      throw new Error(`action link secrets must be at least ${ACTION_LINK_SECRET_MIN_LENGTH} characters`);
    }
  }
  return list;
}

/** A URL-safe token for one action on one alert or incident, signed with the first secret. */
export function signActionLink(request: ActionLinkRequest, secrets: string | readonly string[]): string {
  const [current] = secretList(secrets);
  const nonce = request.nonce ?? randomBytes(16).toString('base64url');
  if (!ACTION_LINK_ACTIONS.includes(request.action))
    throw new Error(`unknown action ${String(request.action)}`);
  if (!ACTION_LINK_TARGETS.includes(request.targetKind)) {
    throw new Error(`unknown target kind ${String(request.targetKind)}`);
  }
  if (!TARGET_ID.test(request.targetId)) throw new Error('targetId must be 1–128 printable ASCII characters');
  if (!NONCE.test(nonce)) throw new Error('nonce must be 16–64 base64url characters');
  const expires = Math.floor(request.expiresAt.getTime() / 1000);
  if (!Number.isSafeInteger(expires) || expires <= 0) throw new Error('expiresAt must be a valid date');

  const claims: Claims = {
    a: request.action,
    k: request.targetKind,
    i: request.targetId,
    e: expires,
    n: nonce,
  };
  const claimsPart = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${VERSION}.${claimsPart}.${mac(current, claimsPart).toString('base64url')}`;
}

/**
 * Checks a token: `malformed` if it is not one of ours at all, `tampered` if no secret's MAC
 * matches (changed, truncated, or signed with a retired key), `expired` if authentic but past its
 * expiry. Expiry is read only after the MAC matched, so nothing in a forged token is trusted.
 */
export function verifyActionLink(
  token: string,
  secrets: string | readonly string[],
  now: Date = new Date(),
): ActionLinkVerification {
  const list = secretList(secrets);
  if (typeof token !== 'string' || token.length > TOKEN_MAX_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return { ok: false, reason: 'malformed' };
  const [, claimsPart, macPart] = parts;
  if (!/^[A-Za-z0-9_-]+$/.test(claimsPart) || !/^[A-Za-z0-9_-]{43}$/.test(macPart)) {
    return { ok: false, reason: 'malformed' };
  }

  const received = Buffer.from(macPart, 'base64url');
  // Base64 decoding ignores the last character's spare bits; only the canonical spelling is ours.
  if (received.toString('base64url') !== macPart) return { ok: false, reason: 'tampered' };
  let matched = false;
  for (const secret of list) {
    // Constant time, and every key is tried, so timing tells nothing about the MAC or the key.
    if (timingSafeEqual(mac(secret, claimsPart), received)) matched = true;
  }
  if (!matched) return { ok: false, reason: 'tampered' };

  const claims = parseClaims(claimsPart);
  // Signed by us but unreadable: only a bug or a future format could make one.
  if (!claims) return { ok: false, reason: 'malformed' };
  if (Math.floor(now.getTime() / 1000) >= claims.e) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    link: {
      action: claims.a,
      targetKind: claims.k,
      targetId: claims.i,
      expiresAt: new Date(claims.e * 1000),
      nonce: claims.n,
      commandId: `link:${claims.n}`,
    },
  };
}

function parseClaims(claimsPart: string): Claims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(claimsPart, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const claims = value as Partial<Record<keyof Claims, unknown>>;
  const ok =
    ACTION_LINK_ACTIONS.includes(claims.a as ActionLinkAction) &&
    ACTION_LINK_TARGETS.includes(claims.k as ActionLinkTarget) &&
    typeof claims.i === 'string' &&
    TARGET_ID.test(claims.i) &&
    Number.isSafeInteger(claims.e) &&
    typeof claims.n === 'string' &&
    NONCE.test(claims.n);
  return ok ? (claims as Claims) : undefined;
}

/** The link a notification shows: `<base>/actions/<token>` (the endpoint comes with its issue). */
export function actionLinkUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/actions/${token}`;
}

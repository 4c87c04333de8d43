import { createHash } from 'node:crypto';
import { LIMITS } from '@vigil/contracts';
import { isRecord } from './mapping';

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted(value[key])]),
  );
}

/** JSON with every object's keys sorted, so equal content gives equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value)) ?? 'null';
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A producer id derived from what a protocol says identifies one occurrence, for protocols that
 * carry no id of their own: a re-send of the same content is then recognised as a duplicate. It is
 * `<prefix>:<64 hex>`, printable ASCII within the id limit.
 */
export function contentId(prefix: string, identity: unknown): string {
  return `${prefix}:${sha256(canonicalJson(identity))}`;
}

/**
 * A protocol's own de-duplication key as a Vigil fingerprint: `<prefix>:<key>`, so it can never
 * equal a fingerprint Vigil computed (64 hex digits) or another protocol's. A key too long for the
 * fingerprint limit is replaced by its SHA-256, which keeps it stable and distinct.
 */
export function prefixedFingerprint(prefix: string, key: string): string {
  const plain = `${prefix}:${key}`;
  return plain.length <= LIMITS.fingerprintLength ? plain : `${prefix}:sha256:${sha256(key)}`;
}

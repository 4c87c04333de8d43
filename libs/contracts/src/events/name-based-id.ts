import { createHash } from 'node:crypto';

/**
 * RFC 4122 name-based UUID (version 5, SHA-1): the same name in the same namespace always gives the
 * same id. Event ids the platform derives (ingest's from a producer id, the correlator's for a
 * heartbeat miss) use it, so a retried write records the event once.
 */
export function uuidV5(name: string, namespace: Buffer): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

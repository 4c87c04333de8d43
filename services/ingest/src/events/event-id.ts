import { createHash, randomUUID } from 'node:crypto';

/** RFC 4122 name-based UUID (version 5, SHA-1) in Vigil's own namespace. */
const VIGIL_NAMESPACE = Buffer.from('5f0e6f8c9a3b4d1e8f2a7c6b5d4e3f21', 'hex');

export function uuidV5(name: string, namespace: Buffer = VIGIL_NAMESPACE): string {
  const hash = createHash('sha1').update(namespace).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The platform event id. With a producer id it is derived from (source, producer id) so a re-send is
 * recognised; without one, from a delivery key that is stable across redeliveries (the raw stream
 * sequence) when there is one, and random otherwise.
 */
export function eventId(source: string, producerId: string | undefined, deliveryKey?: string): string {
  if (producerId !== undefined) return uuidV5(`producer\u0000${source}\u0000${producerId}`);
  if (deliveryKey !== undefined) return uuidV5(`delivery\u0000${deliveryKey}`);
  return randomUUID();
}

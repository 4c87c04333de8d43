import { randomUUID } from 'node:crypto';
import { uuidV5 } from '@vigil/contracts';

/** Vigil's own namespace for the ids ingest derives. */
const VIGIL_NAMESPACE = Buffer.from('5f0e6f8c9a3b4d1e8f2a7c6b5d4e3f21', 'hex');

/**
 * The platform event id. With a producer id it is derived from (source, producer id) so a re-send is
 * recognised; without one, from a delivery key that is stable across redeliveries (the raw stream
 * sequence) when there is one, and random otherwise.
 */
export function eventId(source: string, producerId: string | undefined, deliveryKey?: string): string {
  if (producerId !== undefined) return uuidV5(`producer\u0000${source}\u0000${producerId}`, VIGIL_NAMESPACE);
  if (deliveryKey !== undefined) return uuidV5(`delivery\u0000${deliveryKey}`, VIGIL_NAMESPACE);
  return randomUUID();
}

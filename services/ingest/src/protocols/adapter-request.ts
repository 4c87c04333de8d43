import type { IngestProtocol } from '@vigil/contracts';
import type { IngestRequest } from '../events/ingest.service';
import type { Admitted } from '../gate/ingest-gate';

/** `?source=` as the producer gave it; a repeated parameter counts by its first value. */
export function requestedSource(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === '' ? undefined : first;
}

/** What every ingest call made for one HTTP request of a protocol adapter has in common. */
export function adapterRequest(
  protocol: IngestProtocol,
  request: { ip: string },
  admitted: Admitted,
  traceparent: string | undefined,
  receivedAt: Date,
): Omit<IngestRequest, 'bytes'> {
  return {
    via: 'http',
    protocol,
    receivedAt,
    from: request.ip,
    traceparent,
    allowedSources: admitted.allowedSources,
  };
}

/**
 * The body to archive a whole-request refusal under: its source is the one the gate decided, so the
 * rejection is archived under the same source as the events that producer got accepted.
 */
export function archivedUnder(admitted: Admitted): { source?: string } {
  return { source: admitted.source };
}

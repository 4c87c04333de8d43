import { Injectable } from '@nestjs/common';
import { IngestOutcome, IngestRequest, IngestService } from '../../events/ingest.service';
import { IngestEnv } from '../../ingest.env';
import type { SyslogFrame } from './syslog-framing';
import { peerText, SyslogPeer, toProducerEvent } from './syslog-mapping';
import { parseSyslog } from './syslog-parser';

/**
 * What syslog messages become, whatever the transport: parsed, mapped and ingested, or archived on
 * the rejected stream with the reason (field `$`) when they cannot even be read as syslog.
 */
@Injectable()
export class SyslogReceiver {
  // Not fatal: MSG may be in any charset (RFC 5424 MSG-ANY); undecodable bytes become U+FFFD in the
  // event, while a refused message is archived byte for byte.
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly ingest: IngestService,
    private readonly env: IngestEnv,
  ) {}

  /**
   * Resolves with the outcome once the event or its refusal is stored; rejects only when an event
   * that was accepted could not be published (NATS unreachable, no acknowledgement).
   * `deliveryKey` makes a retried message the same event, so JetStream keeps it once. Async so that
   * even an unexpected throw reaches the caller as a rejection, never a socket's event handler.
   */
  async receive(frame: SyslogFrame, peer: SyslogPeer, deliveryKey?: string): Promise<IngestOutcome> {
    const request: IngestRequest = {
      bytes: frame.bytes,
      via: 'syslog',
      protocol: 'syslog',
      receivedAt: new Date(),
      from: peerText(peer),
      deliveryKey,
    };
    const max = this.env.INGEST_MAX_EVENT_BYTES;
    switch (frame.kind) {
      case 'oversize': {
        const announced =
          frame.declaredLength !== undefined ? ` (its octet count says ${frame.declaredLength})` : '';
        const reason = `is longer than the ${max} bytes allowed for one event (INGEST_MAX_EVENT_BYTES)${announced}; only its first ${frame.bytes.length} bytes are archived`;
        return this.ingest.reject(request, [{ field: '$', reason }], undefined, 'too_large');
      }
      case 'incomplete': {
        const reason = `was cut off: the connection closed after ${frame.bytes.length} of the ${frame.declaredLength} bytes its octet count announced`;
        return this.ingest.reject(request, [{ field: '$', reason }]);
      }
      case 'message':
        break;
    }
    // A UDP datagram (TCP frames are cut by the framer): at most 64 KiB, so archived whole.
    return this.ingest.ingestRead(request, () => {
      const parsed = parseSyslog(this.decoder.decode(frame.bytes), request.receivedAt);
      if (!parsed.ok) return { ok: false, errors: [{ field: '$', reason: parsed.reason }] };
      const candidate = toProducerEvent(parsed.message, {
        peer,
        receivedAt: request.receivedAt,
        maxFutureMs: this.env.INGEST_MAX_FUTURE_SECONDS * 1000,
      });
      return { ok: true, candidate };
    });
  }
}

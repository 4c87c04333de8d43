import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Headers, Subjects } from '@vigil/contracts';
import { headersToRecord, JetStreamBatchContext, NatsClient } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { IngestOutcome, IngestRequest, IngestService } from '../../events/ingest.service';
import {
  cloudEventHeaders,
  NatsContentMode,
  natsContentMode,
  readNatsMessage,
} from '../cloudevents/cloudevent';
import { decoded } from '../cloudevents/mapping';

/**
 * Producers' events from the EVENTS_RAW stream, a batch at a time: their accepted (or rejected)
 * publishes go out together and the batch is acknowledged once every PubAck is in. A refused event
 * is not a failure here: it is archived on the rejected stream and its raw message acknowledged.
 *
 * A message is a CloudEvent (NATS protocol binding) when its `Content-Type` header is
 * `application/cloudevents…` (structured), when it has a `ce-specversion` header (binary), or when
 * its body is a JSON object with `specversion` (structured, as publishers without headers send it);
 * anything else is Vigil's own producer event.
 */
@Controller()
export class RawEventsHandler {
  constructor(
    private readonly ingest: IngestService,
    private readonly nats: NatsClient,
    private readonly metrics: ServiceMetrics,
  ) {}

  @EventPattern(Subjects.EventsRaw)
  async onRawEvents(@Payload() batch: Uint8Array[], @Ctx() context: JetStreamBatchContext): Promise<void> {
    await Promise.all(
      batch.map((bytes, i) => {
        const { info, headers } = context.messages[i];
        const subject = context.subject(i);
        const request: IngestRequest = {
          bytes,
          via: 'nats',
          receivedAt: context.storedAt(i),
          from: subject,
          subjectSource: this.nats.space.tokenOf(Subjects.EventsRaw, subject),
          deliveryKey: `${info.stream}:${info.streamSequence}`,
          traceparent: context.header(i, Headers.TraceParent),
        };
        const record = headers ? headersToRecord(headers) : {};
        const cloudEvent = natsContentMode(record, bytes);
        if (cloudEvent) return this.ingestCloudEvent(request, cloudEvent, record);
        return this.ingest.ingest({ ...request, producerIdFallback: context.header(i, Headers.MsgId) });
      }),
    );
    this.metrics.observeEventLatency(context.messages.map((message) => message.time));
  }

  /** A malformed CloudEvent is archived with its reasons (and its `ce-*` headers) and acknowledged. */
  private ingestCloudEvent(
    base: IngestRequest,
    mode: NatsContentMode,
    headers: Record<string, string>,
  ): Promise<IngestOutcome> {
    const kept = cloudEventHeaders(headers);
    const request: IngestRequest = {
      ...base,
      protocol: 'cloudevents',
      ...(Object.keys(kept).length ? { headers: kept } : {}),
    };
    return this.ingest.ingestRead(request, () =>
      decoded(readNatsMessage(mode, headers, base.bytes), { source: base.subjectSource }),
    );
  }
}

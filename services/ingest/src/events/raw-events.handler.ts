import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Headers, Subjects } from '@vigil/contracts';
import { JetStreamBatchContext, NatsClient } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { IngestService } from './ingest.service';

/**
 * Producers' events from the EVENTS_RAW stream, a batch at a time: their accepted (or rejected)
 * publishes go out together and the batch is acknowledged once every PubAck is in. A refused event
 * is not a failure here: it is archived on the rejected stream and its raw message acknowledged.
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
        const { info } = context.messages[i];
        const subject = context.subject(i);
        return this.ingest.ingest({
          bytes,
          via: 'nats',
          receivedAt: context.storedAt(i),
          from: subject,
          subjectSource: this.nats.space.tokenOf(Subjects.EventsRaw, subject),
          producerIdFallback: context.header(i, Headers.MsgId),
          deliveryKey: `${info.stream}:${info.streamSequence}`,
          traceparent: context.header(i, Headers.TraceParent),
        });
      }),
    );
    this.metrics.observeEventLatency(context.messages.map((message) => message.time));
  }
}

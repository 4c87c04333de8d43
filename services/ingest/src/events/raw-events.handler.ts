import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Headers, Subjects } from '@vigil/contracts';
import { JetStreamContext, NatsClient } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { IngestService } from './ingest.service';

/**
 * Producers' events from the EVENTS_RAW stream. A refused event is not a failure here: it is
 * archived on the rejected stream and the raw message is acknowledged.
 */
@Controller()
export class RawEventsHandler {
  constructor(
    private readonly ingest: IngestService,
    private readonly nats: NatsClient,
    private readonly metrics: ServiceMetrics,
  ) {}

  @EventPattern(Subjects.EventsRaw)
  async onRawEvent(@Payload() bytes: Uint8Array, @Ctx() context: JetStreamContext): Promise<void> {
    const { message } = context;
    const receivedAt = context.storedAt;
    await this.ingest.ingest({
      bytes,
      via: 'nats',
      receivedAt,
      from: context.subject,
      subjectSource: this.nats.space.tokenOf(Subjects.EventsRaw, context.subject),
      producerIdFallback: context.header(Headers.MsgId),
      deliveryKey: `${message.info.stream}:${message.info.streamSequence}`,
      traceparent: context.header(Headers.TraceParent),
    });
    this.metrics.observeEventLatency(receivedAt.toISOString());
  }
}

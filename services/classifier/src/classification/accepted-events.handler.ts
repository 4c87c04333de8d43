import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AcceptedEventV1, Headers, Subjects } from '@vigil/contracts';
import { EventPublisher, JetStreamContext } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { classifyByDefault } from './default-classifier';

@Controller()
export class AcceptedEventsHandler {
  private readonly classified: Counter<'category'>;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly metrics: ServiceMetrics,
  ) {
    this.classified = metrics.counter('events_total', 'Events classified, by category.', ['category']);
  }

  /** Publishes the classified event under the same id, so a redelivery is dropped by the stream. */
  @EventPattern(Subjects.EventsAccepted)
  async onAccepted(@Payload() event: AcceptedEventV1, @Ctx() context: JetStreamContext): Promise<void> {
    const classified = classifyByDefault(event, new Date());
    await this.publisher.publish(Subjects.EventsClassified, classified.category, classified, {
      msgId: classified.id,
      headers: { ...context.propagatedHeaders(), [Headers.EventId]: classified.id },
    });
    this.classified.inc({ category: classified.category });
    this.metrics.observeEventLatency(event.receivedAt);
  }
}

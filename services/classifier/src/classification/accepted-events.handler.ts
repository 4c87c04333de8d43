import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AcceptedEventV1, Headers, Subjects } from '@vigil/contracts';
import { EventPublisher, JetStreamBatchContext } from '@vigil/messaging';
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

  /**
   * Publishes each classified event under its own id (a redelivery is dropped by the stream), the
   * batch's publishes in flight together.
   */
  @EventPattern(Subjects.EventsAccepted)
  async onAccepted(
    @Payload() events: AcceptedEventV1[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    const now = new Date();
    await Promise.all(
      events.map((event, i) => {
        const classified = classifyByDefault(event, now);
        this.classified.inc({ category: classified.category });
        return this.publisher.publish(Subjects.EventsClassified, classified.category, classified, {
          msgId: classified.id,
          headers: { ...context.propagatedHeaders(i), [Headers.EventId]: classified.id },
        });
      }),
    );
    this.metrics.observeEventLatency(events.map((event) => event.receivedAt));
  }
}

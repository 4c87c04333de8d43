import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ClassifiedEventV1, Subjects } from '@vigil/contracts';
import { JetStreamBatchContext } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { CorrelationService } from './correlation.service';

@Controller()
export class ClassifiedEventsHandler {
  constructor(
    private readonly correlation: CorrelationService,
    private readonly metrics: ServiceMetrics,
  ) {}

  /** Acknowledged only after the batch's transaction commits (the transport acks when this resolves). */
  @EventPattern(Subjects.EventsClassified)
  async onClassified(
    @Payload() events: ClassifiedEventV1[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    await this.correlation.correlate(
      events.map((event, i) => ({ event, headers: context.propagatedHeaders(i) })),
    );
    this.metrics.observeEventLatency(events.map((event) => event.receivedAt));
  }
}

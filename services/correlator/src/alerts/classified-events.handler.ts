import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ClassifiedEventV1, Subjects } from '@vigil/contracts';
import { JetStreamContext } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { CorrelationService } from './correlation.service';

@Controller()
export class ClassifiedEventsHandler {
  constructor(
    private readonly correlation: CorrelationService,
    private readonly metrics: ServiceMetrics,
  ) {}

  /** Acknowledged only after the transaction commits (the transport acks when this resolves). */
  @EventPattern(Subjects.EventsClassified)
  async onClassified(@Payload() event: ClassifiedEventV1, @Ctx() context: JetStreamContext): Promise<void> {
    await this.correlation.correlate(event, context.propagatedHeaders());
    this.metrics.observeEventLatency(event.receivedAt);
  }
}

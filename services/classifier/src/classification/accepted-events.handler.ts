import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AcceptedEventV1, Headers, Subjects } from '@vigil/contracts';
import { EventPublisher, JetStreamBatchContext } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { ActiveRules } from '../reload/active-rules';
import { ClassifierMetrics } from './classifier.metrics';
import { RuleHits } from './rule-hits';

@Controller()
export class AcceptedEventsHandler {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly metrics: ServiceMetrics,
    private readonly classifierMetrics: ClassifierMetrics,
    private readonly active: ActiveRules,
    private readonly hits: RuleHits,
  ) {}

  /**
   * Classifies with the rules in force when the batch started (a reload mid-batch applies from the
   * next one) and publishes each kept event under its own id, the batch's publishes in flight
   * together; a redelivery is dropped by the stream. A discarded event is acknowledged with the
   * batch and goes nowhere.
   */
  @EventPattern(Subjects.EventsAccepted)
  async onAccepted(
    @Payload() events: AcceptedEventV1[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    const { ruleSet, tables } = this.active.current;
    const now = new Date();
    const results = events.map((event) => ruleSet.classify(event, { now, tables }));
    await Promise.all(
      results.flatMap((result, i) => {
        if (result.discarded) return [];
        const classified = result.event;
        return this.publisher.publish(Subjects.EventsClassified, classified.category, classified, {
          msgId: classified.id,
          headers: { ...context.propagatedHeaders(i), [Headers.EventId]: classified.id },
        });
      }),
    );
    // Counted once the batch is stored: a failed batch is redelivered and must not count twice.
    for (const result of results) {
      this.hits.record(result.matchedRules);
      if (result.discarded) this.classifierMetrics.discarded.inc();
      else this.classifierMetrics.classified.inc({ category: result.event.category });
    }
    this.metrics.observeEventLatency(events.map((event) => event.receivedAt));
  }
}

import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AlertChangedV1, IncidentChangedV1, Subjects } from '@vigil/contracts';
import { ServiceMetrics } from '@vigil/observability';
import { FeedService } from '../feed';
import { alertSubjectChange, EscalationPoller, incidentSubjectChange, PagingService } from '../paging';
import type { SubjectChange } from '../paging';

/**
 * The notifier's two subscriptions. Alert changes go to paging and to the transition feed;
 * incident changes to paging. Both only write rows (pages and steps, deliveries), each idempotent
 * for a redelivered change, and the message is acknowledged once they are committed: sending,
 * retries and failures are the delivery log's.
 */
@Controller()
export class ChangesHandler {
  constructor(
    private readonly paging: PagingService,
    private readonly escalation: EscalationPoller,
    private readonly feed: FeedService,
    private readonly metrics: ServiceMetrics,
  ) {}

  @EventPattern(Subjects.AlertsChanged)
  async onAlertsChanged(@Payload() messages: AlertChangedV1[]): Promise<void> {
    await this.page(messages.map(alertSubjectChange));
    await this.feed.queue(messages);
    this.metrics.observeEventLatency(messages.map((message) => message.causeReceivedAt));
  }

  @EventPattern(Subjects.IncidentsChanged)
  async onIncidentsChanged(@Payload() messages: IncidentChangedV1[]): Promise<void> {
    await this.page(messages.map(incidentSubjectChange));
  }

  private async page(changes: SubjectChange[]): Promise<void> {
    const outcome = await this.paging.apply(changes);
    if (outcome.dueNow) this.escalation.kick();
  }
}

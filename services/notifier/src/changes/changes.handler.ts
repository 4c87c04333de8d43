import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { AlertChangedV1, IncidentChangedV1, Subjects } from '@vigil/contracts';
import { ServiceMetrics } from '@vigil/observability';
import { SqlPool } from '@vigil/persistence';
import { FeedService } from '../feed';
import { alertSubjectChange, EscalationPoller, incidentSubjectChange, PagingService } from '../paging';

/**
 * The notifier's two subscriptions. Alert changes go to paging and to the transition feed, in one
 * transaction; incident changes to paging. Both only write rows (pages and steps, deliveries), each
 * idempotent for a redelivered change, and the message is acknowledged once they are committed:
 * sending, retries and failures are the delivery log's.
 */
@Controller()
export class ChangesHandler {
  constructor(
    private readonly paging: PagingService,
    private readonly escalation: EscalationPoller,
    private readonly feed: FeedService,
    private readonly sql: SqlPool,
    private readonly metrics: ServiceMetrics,
  ) {}

  @EventPattern(Subjects.AlertsChanged)
  async onAlertsChanged(@Payload() messages: AlertChangedV1[]): Promise<void> {
    // Pages and the feed's deliveries commit together: one transaction per batch, not two.
    const { paged, fed } = await this.sql.transaction(async (tx) => ({
      paged: await this.paging.applyIn(tx, messages.map(alertSubjectChange)),
      fed: await this.feed.queueIn(tx, messages),
    }));
    this.paging.send(paged);
    this.feed.send(fed);
    if (paged.dueNow) this.escalation.kick();
    this.metrics.observeEventLatency(messages.map((message) => message.causeReceivedAt));
  }

  @EventPattern(Subjects.IncidentsChanged)
  async onIncidentsChanged(@Payload() messages: IncidentChangedV1[]): Promise<void> {
    const outcome = await this.paging.apply(messages.map(incidentSubjectChange));
    this.paging.send(outcome);
    if (outcome.dueNow) this.escalation.kick();
  }
}

import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AlertChangedV1, Consumers, IncidentChangedV1, Subjects } from '@vigil/contracts';
import { JetStreamBatchContext } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { NotificationService } from '../notifications/notification.service';
import { EscalationRunner } from './escalation.runner';
import { PagingService } from './paging.service';
import { alertSubjectChange, incidentSubjectChange, SubjectChange } from './subject';

/**
 * The notifier's two feeds. Alert changes go to paging and to the transition-feed webhooks;
 * incident changes to paging. Paging runs first: it is idempotent per member sequence, so when a
 * feed webhook fails and the batch is redelivered, paging does nothing twice.
 */
@Controller()
export class ChangeHandlers {
  constructor(
    private readonly paging: PagingService,
    private readonly runner: EscalationRunner,
    private readonly feed: NotificationService,
    private readonly metrics: ServiceMetrics,
  ) {}

  @EventPattern(Subjects.AlertsChanged)
  async onAlertsChanged(
    @Payload() messages: AlertChangedV1[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    await this.page(messages.map(alertSubjectChange));
    await this.feed.notify(
      messages.map((message, i) => ({
        message,
        finalAttempt: context.deliveryCount(i) >= Consumers.NotifierAlerts.maxDeliver,
      })),
    );
    this.metrics.observeEventLatency(messages.map((message) => message.causeReceivedAt));
  }

  @EventPattern(Subjects.IncidentsChanged)
  async onIncidentsChanged(@Payload() messages: IncidentChangedV1[]): Promise<void> {
    await this.page(messages.map(incidentSubjectChange));
  }

  private async page(changes: SubjectChange[]): Promise<void> {
    const outcome = await this.paging.apply(changes);
    if (outcome.dueNow) this.runner.kick();
  }
}

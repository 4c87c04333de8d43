import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AlertChangedV1, Consumers, Subjects } from '@vigil/contracts';
import { JetStreamBatchContext } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { NotificationService } from './notification.service';

@Controller()
export class AlertChangesHandler {
  constructor(
    private readonly notifications: NotificationService,
    private readonly metrics: ServiceMetrics,
  ) {}

  @EventPattern(Subjects.AlertsChanged)
  async onAlertsChanged(
    @Payload() messages: AlertChangedV1[],
    @Ctx() context: JetStreamBatchContext,
  ): Promise<void> {
    await this.notifications.notify(
      messages.map((message, i) => ({
        message,
        finalAttempt: context.deliveryCount(i) >= Consumers.NotifierAlerts.maxDeliver,
      })),
    );
    this.metrics.observeEventLatency(messages.map((message) => message.causeReceivedAt));
  }
}

import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AlertChangedV1, Consumers, Subjects } from '@vigil/contracts';
import { JetStreamContext } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { NotificationService } from './notification.service';

@Controller()
export class AlertChangesHandler {
  constructor(
    private readonly notifications: NotificationService,
    private readonly metrics: ServiceMetrics,
  ) {}

  @EventPattern(Subjects.AlertsChanged)
  async onAlertChanged(@Payload() message: AlertChangedV1, @Ctx() context: JetStreamContext): Promise<void> {
    const finalAttempt = context.deliveryCount >= Consumers.NotifierAlerts.maxDeliver;
    await this.notifications.notify(message, finalAttempt);
    this.metrics.observeEventLatency(message.causeReceivedAt);
  }
}

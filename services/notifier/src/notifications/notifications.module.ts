import { DynamicModule, Module } from '@nestjs/common';
import { AlertChangesHandler } from './alert-changes.handler';
import { NotificationLogRepository } from './notification-log.repository';
import { NotificationService, WEBHOOK_SETTINGS, WebhookSettings } from './notification.service';
import { WebhookSender } from './webhook.sender';

@Module({})
export class NotificationsModule {
  static register(settings: WebhookSettings): DynamicModule {
    return {
      module: NotificationsModule,
      controllers: [AlertChangesHandler],
      providers: [
        { provide: WEBHOOK_SETTINGS, useValue: settings },
        NotificationLogRepository,
        NotificationService,
        WebhookSender,
      ],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { NotificationLogRepository } from './notification-log.repository';
import { NotificationService, WEBHOOK_SETTINGS, WebhookSettings } from './notification.service';
import { WebhookSender } from './webhook.sender';

@Module({})
export class NotificationsModule {
  static register(settings: WebhookSettings): DynamicModule {
    return {
      module: NotificationsModule,
      // The alert feed's handler lives with paging's (one handler per subject); it needs the sender.
      global: true,
      providers: [
        { provide: WEBHOOK_SETTINGS, useValue: settings },
        NotificationLogRepository,
        NotificationService,
        WebhookSender,
      ],
      exports: [NotificationService],
    };
  }
}

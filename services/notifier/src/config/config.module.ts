import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels';
import { NotifierConfigHandler } from './config.handler';
import { NotifierConfigService } from './config.service';
import { NotifierConfigRepository } from './config.repository';
import { NotifierConfig } from './notifier-config';
import { SchedulesService } from './schedules.service';
import { TestNotificationsService } from './test-notifications.service';

/**
 * The operators' configuration — users, channels, schedules, escalation policies, the routing tree
 * (stored in Postgres, served over request/reply), and the transition feed's URLs (from the
 * environment) — held by every replica as one parsed snapshot (`NotifierConfig`). Adapters check
 * channel configurations and send test notifications. Settings: `NOTIFIER_CONFIG_SETTINGS`.
 */
@Module({
  imports: [ChannelsModule],
  controllers: [NotifierConfigHandler],
  providers: [
    NotifierConfigRepository,
    NotifierConfig,
    NotifierConfigService,
    SchedulesService,
    TestNotificationsService,
  ],
  exports: [NotifierConfig],
})
export class NotifierConfigModule {}

import { DynamicModule, Module } from '@nestjs/common';
import { ChannelRegistry } from '../channels/registry';
import { ConfigHandler } from './config.handler';
import { NotifierConfigRepository } from './config.repository';
import { NotifierConfigService } from './config.service';
import { NOTIFIER_CONFIG_OPTIONS, NotifierConfig, NotifierConfigOptions } from './notifier-config';
import { SchedulesService } from './schedules.service';
import { TestNotificationsService } from './test-notifications.service';

/**
 * The notifier's configuration: stored objects, the parsed snapshot every replica holds, the
 * channel adapters, and the request/reply API. Global: paging and delivery read `NotifierConfig`
 * and send through `ChannelRegistry`.
 */
@Module({})
export class ConfigModule {
  static register(options: NotifierConfigOptions): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      controllers: [ConfigHandler],
      providers: [
        { provide: NOTIFIER_CONFIG_OPTIONS, useValue: options },
        ChannelRegistry,
        NotifierConfigRepository,
        NotifierConfig,
        NotifierConfigService,
        SchedulesService,
        TestNotificationsService,
      ],
      exports: [NotifierConfig, ChannelRegistry, NotifierConfigRepository],
    };
  }
}

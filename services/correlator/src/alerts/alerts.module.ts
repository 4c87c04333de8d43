import { DynamicModule, Module } from '@nestjs/common';
import { AlertChangeCounter } from './alert-change.counter';
import { AlertsRepository } from './alerts.repository';
import { ClassifiedEventsHandler } from './classified-events.handler';
import { CorrelationService } from './correlation.service';
import { LifecycleConfig } from './lifecycle-config';

/**
 * Alerts from events (de-duplication, the lifecycle, pairing). Global: commands and timers change
 * alerts through the same repository, lifecycle settings and change counter.
 */
@Module({})
export class AlertsModule {
  static register(config: LifecycleConfig): DynamicModule {
    return {
      module: AlertsModule,
      global: true,
      controllers: [ClassifiedEventsHandler],
      providers: [
        { provide: LifecycleConfig, useValue: config },
        AlertsRepository,
        AlertChangeCounter,
        CorrelationService,
      ],
      exports: [LifecycleConfig, AlertsRepository, AlertChangeCounter, CorrelationService],
    };
  }
}

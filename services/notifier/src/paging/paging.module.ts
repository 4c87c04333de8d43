import { DynamicModule, Module } from '@nestjs/common';
import { DeliveryStore } from '../delivery/delivery.store';
import { DELIVERY_SETTINGS, DeliverySettings, DeliveryWorker } from '../delivery/delivery.worker';
import { ActionsController } from './actions.controller';
import { ChangeHandlers } from './change-handlers';
import { EscalationStore } from './escalation-store';
import { DELIVERIES_QUEUED, EscalationRunner, PAGING_SETTINGS, PagingSettings } from './escalation.runner';
import { PageStore } from './page-store';
import { PagingService } from './paging.service';

/**
 * Paging: alert and incident changes routed into pages, their escalation steps, the deliveries
 * those queue, and the action links that acknowledge or resolve from a notification.
 */
@Module({})
export class PagingModule {
  static register(paging: PagingSettings, delivery: DeliverySettings): DynamicModule {
    return {
      module: PagingModule,
      controllers: [ChangeHandlers, ActionsController],
      providers: [
        { provide: PAGING_SETTINGS, useValue: paging },
        { provide: DELIVERY_SETTINGS, useValue: delivery },
        PageStore,
        PagingService,
        EscalationStore,
        EscalationRunner,
        DeliveryStore,
        DeliveryWorker,
        { provide: DELIVERIES_QUEUED, useExisting: DeliveryWorker },
      ],
      exports: [PagingService, EscalationRunner, DeliveryWorker],
    };
  }
}

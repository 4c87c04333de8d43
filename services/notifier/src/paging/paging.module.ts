import { Module } from '@nestjs/common';
import { NotifierConfigModule } from '../config';
import { DeliveryModule } from '../delivery';
import { ActionsController } from './actions.controller';
import { EscalationRunner } from './escalation.runner';
import { EscalationStore } from './escalation.store';
import { PageStore } from './page.store';
import { PagingService } from './paging.service';

/**
 * Paging: alert and incident changes routed into pages, their escalation steps (which queue
 * deliveries to whom the policy names), and the action links that acknowledge or resolve a page
 * from a notification. Settings: `PAGING_SETTINGS`.
 */
@Module({
  imports: [NotifierConfigModule, DeliveryModule],
  controllers: [ActionsController],
  providers: [PageStore, PagingService, EscalationStore, EscalationRunner],
  exports: [PagingService, EscalationRunner],
})
export class PagingModule {}

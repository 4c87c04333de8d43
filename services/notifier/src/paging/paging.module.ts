import { Module } from '@nestjs/common';
import { NotifierConfigModule } from '../config';
import { DeliveryModule } from '../delivery';
import { ActionsController } from './actions.controller';
import { EscalationPoller } from './escalation.poller';
import { EscalationRepository } from './escalation.repository';
import { PageRepository } from './page.repository';
import { PagingService } from './paging.service';
import { StepFiring } from './step-firing';

/**
 * Paging: alert and incident changes routed into pages, their escalation steps (which queue
 * deliveries to whom the policy names), and the action links that acknowledge or resolve a page
 * from a notification. Settings: `PAGING_SETTINGS`.
 */
@Module({
  imports: [NotifierConfigModule, DeliveryModule],
  controllers: [ActionsController],
  providers: [PageRepository, PagingService, EscalationRepository, StepFiring, EscalationPoller],
  exports: [PagingService, EscalationPoller],
})
export class PagingModule {}

import { Module } from '@nestjs/common';
import { EventsModule } from '../../events/events.module';
import { PagerDutyController } from './pagerduty.controller';

/** PagerDuty's Events API v2 on top of ingest's core. */
@Module({
  imports: [EventsModule],
  controllers: [PagerDutyController],
})
export class PagerDutyModule {}

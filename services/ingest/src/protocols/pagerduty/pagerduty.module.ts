import { Module } from '@nestjs/common';
import { EventsModule } from '../../events/events.module';
import { PipelineModule } from '../../pipeline/pipeline.module';
import { PagerDutyController } from './pagerduty.controller';

/** PagerDuty's Events API v2 on the ingest pipeline (its acknowledge is counted in ingest's metrics). */
@Module({
  imports: [PipelineModule, EventsModule],
  controllers: [PagerDutyController],
})
export class PagerDutyModule {}

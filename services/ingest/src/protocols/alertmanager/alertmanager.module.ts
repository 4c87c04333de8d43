import { Module } from '@nestjs/common';
import { PipelineModule } from '../../pipeline/pipeline.module';
import { AlertmanagerController } from './alertmanager.controller';

/** Prometheus Alertmanager's webhook receiver on the ingest pipeline. */
@Module({
  imports: [PipelineModule],
  controllers: [AlertmanagerController],
})
export class AlertmanagerModule {}

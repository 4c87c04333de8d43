import { Module } from '@nestjs/common';
import { PipelineModule } from '../../pipeline/pipeline.module';
import { PantherController } from './panther.controller';

/** The Panther console's HTTP event API on the ingest pipeline. */
@Module({
  imports: [PipelineModule],
  controllers: [PantherController],
})
export class PantherModule {}

import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { GateModule } from '../gate/gate.module';
import { IngestPipeline } from './ingest-pipeline';

/** The HTTP ingest step every protocol's controller calls: admit, read, store, answer. */
@Module({
  imports: [EventsModule, GateModule],
  providers: [IngestPipeline],
  exports: [IngestPipeline],
})
export class PipelineModule {}

import { Module } from '@nestjs/common';
import { PipelineModule } from '../../pipeline/pipeline.module';
import { CloudEventsController } from './cloudevents.controller';

/**
 * CloudEvents 1.0 over HTTP. Over NATS, CloudEvents share the raw stream with Vigil's own events,
 * so vigil/'s raw handler tells them apart (with this folder's pure reader and mapping).
 */
@Module({
  imports: [PipelineModule],
  controllers: [CloudEventsController],
})
export class CloudEventsModule {}

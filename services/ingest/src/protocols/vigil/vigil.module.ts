import { Module } from '@nestjs/common';
import { EventsModule } from '../../events/events.module';
import { PipelineModule } from '../../pipeline/pipeline.module';
import { EventsController } from './events.controller';
import { RawEventsHandler } from './raw-events.handler';
import { SubmitEventHandler } from './submit.handler';

/**
 * Vigil's own producer event over HTTP (`/api/v1/events`), request/reply (`rpc.ingest.submit`) and
 * the raw stream, where CloudEvents over NATS arrive too (read with cloudevents/'s pure reader).
 */
@Module({
  imports: [EventsModule, PipelineModule],
  controllers: [EventsController, RawEventsHandler, SubmitEventHandler],
})
export class VigilModule {}

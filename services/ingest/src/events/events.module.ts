import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { IngestMetrics } from './ingest.metrics';
import { IngestService } from './ingest.service';
import { RawEventsHandler } from './raw-events.handler';
import { SubmitEventHandler } from './submit.handler';

@Module({
  controllers: [EventsController, RawEventsHandler, SubmitEventHandler],
  providers: [IngestService, IngestMetrics],
})
export class EventsModule {}

import { Module } from '@nestjs/common';
import { EventsModule } from '../../events/events.module';
import { CloudEventsController } from './cloudevents.controller';

/**
 * CloudEvents 1.0 over HTTP. Over NATS, CloudEvents share the raw stream with Vigil's own events,
 * so EventsModule's raw handler tells them apart (with this folder's pure reader and mapping).
 */
@Module({
  imports: [EventsModule],
  controllers: [CloudEventsController],
})
export class CloudEventsModule {}

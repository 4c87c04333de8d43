import { Module } from '@nestjs/common';
import { EventsModule } from '../../events/events.module';
import { AlertmanagerController } from './alertmanager.controller';

/** Prometheus Alertmanager's webhook receiver on top of ingest's core. */
@Module({
  imports: [EventsModule],
  controllers: [AlertmanagerController],
})
export class AlertmanagerModule {}

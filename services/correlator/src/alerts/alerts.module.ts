import { Module } from '@nestjs/common';
import { AlertsRepository } from './alerts.repository';
import { ClassifiedEventsHandler } from './classified-events.handler';
import { CorrelationService } from './correlation.service';

@Module({
  controllers: [ClassifiedEventsHandler],
  providers: [AlertsRepository, CorrelationService],
})
export class AlertsModule {}

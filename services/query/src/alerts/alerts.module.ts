import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertHistoryEntity } from './alert-history.entity';
import { AlertEntity } from './alert.entity';
import { AlertsController } from './alerts.controller';
import { AlertsReadRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { EventOccurrenceEntity } from './event-occurrence.entity';

/**
 * Read models of the correlator's alert tables, registered on the query service's connection by the
 * root wiring. Read only: the correlator owns and writes these tables.
 */
export const ALERT_READ_MODELS = [AlertEntity, EventOccurrenceEntity, AlertHistoryEntity];

@Module({
  imports: [TypeOrmModule.forFeature(ALERT_READ_MODELS)],
  controllers: [AlertsController],
  providers: [AlertsReadRepository, AlertsService],
})
export class AlertsModule {}

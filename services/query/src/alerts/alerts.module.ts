import { Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsReadRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

/** Alert reads, straight from the correlator's tables (it owns and writes them). */
@Module({
  controllers: [AlertsController],
  providers: [AlertsReadRepository, AlertsService],
})
export class AlertsModule {}

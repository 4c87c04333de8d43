import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertEntity, AlertHistoryEntity, EventOccurrenceEntity } from '@vigil/persistence';
import { AlertsController } from './alerts.controller';
import { AlertsReadRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

@Module({
  imports: [TypeOrmModule.forFeature([AlertEntity, EventOccurrenceEntity, AlertHistoryEntity])],
  controllers: [AlertsController],
  providers: [AlertsReadRepository, AlertsService],
})
export class AlertsModule {}

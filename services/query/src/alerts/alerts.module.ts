import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AlertEntity, EventOccurrenceEntity } from '@vigil/persistence';
import { AlertsController } from './alerts.controller';
import { AlertsReadRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';

@Module({
  imports: [TypeOrmModule.forFeature([AlertEntity, EventOccurrenceEntity])],
  controllers: [AlertsController],
  providers: [AlertsReadRepository, AlertsService],
})
export class AlertsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IncidentAlertEntity, IncidentEntity, IncidentHistoryEntity } from '@vigil/persistence';
import { IncidentCommandsController } from './incident-commands.controller';
import { IncidentsController } from './incidents.controller';
import { IncidentsReadRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';
import { OperatorModule } from '../operator/operator.module';

@Module({
  imports: [
    OperatorModule,
    TypeOrmModule.forFeature([IncidentEntity, IncidentAlertEntity, IncidentHistoryEntity]),
  ],
  controllers: [IncidentsController, IncidentCommandsController],
  providers: [IncidentsReadRepository, IncidentsService],
})
export class IncidentsModule {}

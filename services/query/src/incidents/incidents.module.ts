import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IncidentAlertEntity } from './incident-alert.entity';
import { IncidentCommandsController } from './incident-commands.controller';
import { IncidentHistoryEntity } from './incident-history.entity';
import { IncidentEntity } from './incident.entity';
import { IncidentsController } from './incidents.controller';
import { IncidentsReadRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';
import { OperatorModule } from '../operator/operator.module';

/**
 * Read models of the correlator's incident tables, registered on the query service's connection by
 * the root wiring. Read only: the correlator owns and writes these tables.
 */
export const INCIDENT_READ_MODELS = [IncidentEntity, IncidentAlertEntity, IncidentHistoryEntity];

@Module({
  imports: [OperatorModule, TypeOrmModule.forFeature(INCIDENT_READ_MODELS)],
  controllers: [IncidentsController, IncidentCommandsController],
  providers: [IncidentsReadRepository, IncidentsService],
})
export class IncidentsModule {}

import { Module } from '@nestjs/common';
import { IncidentCommandsController } from './incident-commands.controller';
import { IncidentsController } from './incidents.controller';
import { IncidentsReadRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';
import { OperatorModule } from '../operator/operator.module';

/**
 * Incident reads, straight from the correlator's tables (it owns and writes them), and the incident
 * commands, forwarded to it.
 */
@Module({
  imports: [OperatorModule],
  controllers: [IncidentsController, IncidentCommandsController],
  providers: [IncidentsReadRepository, IncidentsService],
})
export class IncidentsModule {}

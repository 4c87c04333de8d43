import { Module } from '@nestjs/common';
import { RuleSetRepository } from '@vigil/persistence';
import { DataSource } from 'typeorm';
import { OutboxModule } from '../outbox';
import { ActiveIncidentRules } from './active-incident-rules';
import { AlertChangesHandler } from './alert-changes.handler';
import { IncidentCommandService } from './incident-command.service';
import { IncidentCorrelationService } from './incident-correlation.service';
import { INCIDENT_RULE_REPOSITORY, IncidentRulesReloader } from './incident-rules.reloader';
import { IncidentRulesService } from './incident-rules.service';
import { IncidentsHandler } from './incidents.handler';
import { IncidentsRepository } from './incidents.repository';
import { IncidentRuleSetVersionEntity } from './incident-rule-set-version.entity';

/**
 * Incidents: correlation rules (versioned, hot-reloaded), grouping from the alert change feed,
 * commands; changes are announced through the outbox. Configured by the root wiring
 * (`INCIDENT_RULES_SETTINGS`).
 */
@Module({
  imports: [OutboxModule],
  controllers: [AlertChangesHandler, IncidentsHandler],
  providers: [
    {
      provide: INCIDENT_RULE_REPOSITORY,
      inject: [DataSource],
      useFactory: (db: DataSource) => new RuleSetRepository(db, IncidentRuleSetVersionEntity),
    },
    ActiveIncidentRules,
    IncidentRulesReloader,
    IncidentRulesService,
    IncidentsRepository,
    IncidentCorrelationService,
    IncidentCommandService,
  ],
})
export class IncidentsModule {}

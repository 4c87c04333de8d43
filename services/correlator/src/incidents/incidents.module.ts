import { DynamicModule, Module } from '@nestjs/common';
import { IncidentRuleSetVersionEntity, RuleSetStore } from '@vigil/persistence';
import { DataSource } from 'typeorm';
import { ActiveIncidentRules } from './active-incident-rules';
import { AlertChangesHandler } from './alert-changes.handler';
import { IncidentCommandService } from './incident-commands.service';
import { IncidentCorrelationService } from './incident-correlation.service';
import {
  INCIDENT_RULE_STORE,
  INCIDENT_RULES_OPTIONS,
  IncidentRulesOptions,
  IncidentRulesService,
} from './incident-rules.service';
import { IncidentsHandler } from './incidents.handler';
import { IncidentsRepository } from './incidents.repository';

/** Incidents: correlation rules (versioned, hot-reloaded), grouping from the alert change feed, commands. */
@Module({})
export class IncidentsModule {
  static register(options: IncidentRulesOptions): DynamicModule {
    return {
      module: IncidentsModule,
      controllers: [AlertChangesHandler, IncidentsHandler],
      providers: [
        { provide: INCIDENT_RULES_OPTIONS, useValue: options },
        {
          provide: INCIDENT_RULE_STORE,
          inject: [DataSource],
          useFactory: (db: DataSource) => new RuleSetStore(db, IncidentRuleSetVersionEntity),
        },
        ActiveIncidentRules,
        IncidentRulesService,
        IncidentsRepository,
        IncidentCorrelationService,
        IncidentCommandService,
      ],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, messagingOptionsFromEnv, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { AlertsModule } from './alerts/alerts.module';
import { CommandsModule } from './commands/commands.module';
import { HeartbeatsModule } from './heartbeats/heartbeats.module';
import { IncidentRulesModule } from './incident-rules/incident-rules.module';
import { IncidentsModule } from './incidents/incidents.module';
import { NotifierConfigModule } from './notifier-config/notifier-config.module';
import { OperatorModule } from './operator/operator.module';
import { QueryEnv } from './query.env';
import { SilencesModule } from './silences/silences.module';

@Module({})
export class AppModule {
  static register(env: QueryEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'query',
          readiness: [NatsHealthIndicator, DatabaseHealthIndicator],
        }),
        // No consumers: NATS carries operators' requests to the correlator, which owns what they change.
        MessagingModule.forRoot({
          ...messagingOptionsFromEnv(env),
          service: 'query',
          consumers: [],
          shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        }),
        PersistenceModule.forRoot({ url: env.DATABASE_URL, applicationName: 'vigil-query', poolSize: 5 }),
        OperatorModule.register(env),
        AlertsModule,
        CommandsModule,
        SilencesModule,
        IncidentsModule,
        IncidentRulesModule,
        HeartbeatsModule,
        NotifierConfigModule,
      ],
      providers: [{ provide: QueryEnv, useValue: env }],
    };
  }
}

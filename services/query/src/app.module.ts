import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, messagingOptionsFromEnv, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { ADMIN_TOKEN_SETTINGS, AdminTokenSettings } from '@vigil/runtime';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { AlertsModule } from './alerts/alerts.module';
import { CommandsModule } from './commands/commands.module';
import { HeartbeatsModule } from './heartbeats/heartbeats.module';
import { IncidentRulesModule } from './incident-rules/incident-rules.module';
import { IncidentsModule } from './incidents/incidents.module';
import { NotifierConfigModule } from './notifier-config/notifier-config.module';
import { RPC_TIMEOUT_MS } from './operator/correlator-rpc.service';
import { QueryEnv } from './query.env';
import { SilencesModule } from './silences/silences.module';

@Module({})
export class AppModule {
  static register(env: QueryEnv): DynamicModule {
    const settings = [
      { provide: RPC_TIMEOUT_MS, useValue: env.QUERY_RPC_TIMEOUT_MS },
      {
        provide: ADMIN_TOKEN_SETTINGS,
        // Reads stay open as they always were; without a token, writes are open too (with a warning).
        useValue: {
          token: env.QUERY_OPERATOR_TOKEN,
          variable: 'QUERY_OPERATOR_TOKEN',
          whenUnset: 'allow',
        } satisfies AdminTokenSettings,
      },
    ];
    return {
      module: AppModule,
      // The root wiring, and the only global module: it provides the settings the capability
      // modules' classes declare (process-wide configuration); capability modules import the rest.
      global: true,
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
        // The query service owns no table: it reads the correlator's with prepared SQL (SqlPool).
        PersistenceModule.forRoot({ url: env.DATABASE_URL, applicationName: 'vigil-query', poolSize: 5 }),
        AlertsModule,
        CommandsModule,
        SilencesModule,
        IncidentsModule,
        IncidentRulesModule,
        HeartbeatsModule,
        NotifierConfigModule,
      ],
      providers: [{ provide: QueryEnv, useValue: env }, ...settings],
      exports: settings.map((provider) => provider.provide),
    };
  }
}

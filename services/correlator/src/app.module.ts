import { DynamicModule, Module, Provider } from '@nestjs/common';
import { Consumers } from '@vigil/contracts';
import { MessagingModule, messagingOptionsFromEnv, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { ALERT_SILENCES, AlertsModule, BATCH_OBSERVER, LifecycleConfig } from './alerts';
import { CommandsModule } from './commands';
import { CORRELATOR_ENTITIES } from './correlator.entities';
import { CorrelatorEnv } from './correlator.env';
import { HEARTBEAT_SETTINGS, HeartbeatsModule, HeartbeatTracker } from './heartbeats';
import { HOUSEKEEPING_SETTINGS, HousekeepingModule } from './housekeeping';
import { INCIDENT_RULES_SETTINGS, IncidentsModule } from './incidents';
import { OUTBOX_SETTINGS, OutboxModule } from './outbox';
import { PairingRules } from './pairing';
import { SILENCE_SETTINGS, SilenceRules, SilencesModule } from './silences';
import { TIMER_SETTINGS, TimersModule } from './timers';

/** Each feature's settings, from the environment, under the token the feature declares. */
function settings(env: CorrelatorEnv): Provider[] {
  return [
    {
      provide: LifecycleConfig,
      useValue: new LifecycleConfig(env.lifecyclePolicy, new PairingRules(env.pairingRules)),
    },
    {
      provide: OUTBOX_SETTINGS,
      useValue: {
        pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
        batchSize: env.OUTBOX_BATCH_SIZE,
        leaseMs: env.OUTBOX_LEASE_MS,
      },
    },
    {
      provide: SILENCE_SETTINGS,
      useValue: {
        endingNoticeSeconds: env.MAINTENANCE_ENDING_NOTICE_SECONDS,
        refreshIntervalMs: env.SILENCE_REFRESH_INTERVAL_MS,
        retryMs: env.TIMER_POLL_INTERVAL_MS,
      },
    },
    {
      provide: TIMER_SETTINGS,
      useValue: { pollIntervalMs: env.TIMER_POLL_INTERVAL_MS, batchSize: env.TIMER_BATCH_SIZE },
    },
    {
      provide: HEARTBEAT_SETTINGS,
      useValue: {
        pollIntervalMs: env.HEARTBEAT_POLL_INTERVAL_MS,
        graceMs: env.HEARTBEAT_GRACE_MS,
        refreshIntervalMs: env.HEARTBEAT_REFRESH_INTERVAL_MS,
      },
    },
    {
      provide: HOUSEKEEPING_SETTINGS,
      useValue: {
        retentionDays: env.OCCURRENCE_RETENTION_DAYS,
        archiveAfterDays: env.CLOSED_ALERT_ARCHIVE_DAYS,
        intervalMs: env.HOUSEKEEPING_INTERVAL_MS,
      },
    },
    {
      provide: INCIDENT_RULES_SETTINGS,
      useValue: { pollIntervalMs: env.INCIDENT_RULES_POLL_INTERVAL_MS },
    },
  ];
}

/**
 * What the alerts module consults, implemented by the features above it: they import the alerts
 * module, so only the root can hand their implementations to it without a cycle.
 */
const bindings: Provider[] = [
  { provide: ALERT_SILENCES, useExisting: SilenceRules },
  { provide: BATCH_OBSERVER, useExisting: HeartbeatTracker },
];

/**
 * The correlator's wiring, and the only global module of its own: it provides the settings each
 * feature module declares (process-wide configuration) and binds the interfaces alerts/ defines to
 * the features that implement them. Feature modules import the modules they use.
 */
@Module({})
export class AppModule {
  static register(env: CorrelatorEnv): DynamicModule {
    const shared = [...settings(env), ...bindings];
    return {
      module: AppModule,
      global: true,
      imports: [
        ObservabilityModule.forRoot({
          service: 'correlator',
          readiness: [NatsHealthIndicator, DatabaseHealthIndicator],
        }),
        MessagingModule.forRoot({
          ...messagingOptionsFromEnv(env),
          service: 'correlator',
          consumers: [Consumers.CorrelatorClassified, Consumers.CorrelatorIncidents],
          shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        }),
        PersistenceModule.forRoot({
          url: env.DATABASE_URL,
          applicationName: 'vigil-correlator',
          poolSize: env.DATABASE_POOL_SIZE,
          entities: CORRELATOR_ENTITIES,
        }),
        OutboxModule,
        AlertsModule,
        SilencesModule,
        HeartbeatsModule,
        CommandsModule,
        TimersModule,
        IncidentsModule,
        HousekeepingModule,
      ],
      // The environment stays here: a feature sees only the settings it declares.
      providers: [{ provide: CorrelatorEnv, useValue: env }, ...shared],
      exports: shared.map((provider) => ('provide' in provider ? provider.provide : provider)),
    };
  }
}

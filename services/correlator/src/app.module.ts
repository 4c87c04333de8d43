import { DynamicModule, Module } from '@nestjs/common';
import { Consumers } from '@vigil/contracts';
import { MessagingModule, messagingOptionsFromEnv, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { AlertsModule } from './alerts/alerts.module';
import { LifecycleConfig } from './alerts/lifecycle-config';
import { CommandsModule } from './commands/commands.module';
import { CorrelatorEnv } from './correlator.env';
import { HeartbeatsModule } from './heartbeats/heartbeats.module';
import { HousekeepingModule } from './housekeeping/housekeeping.module';
import { IncidentsModule } from './incidents/incidents.module';
import { InhibitionModule } from './inhibition/inhibition.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { OutboxModule } from './outbox/outbox.module';
import { PairingRules } from './pairing/pairing-rules';
import { TimersModule } from './timers/timers.module';

@Module({})
export class AppModule {
  static register(env: CorrelatorEnv): DynamicModule {
    return {
      module: AppModule,
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
        }),
        OutboxModule.register({
          pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
          batchSize: env.OUTBOX_BATCH_SIZE,
        }),
        AlertsModule.register(new LifecycleConfig(env.lifecyclePolicy, new PairingRules(env.pairingRules))),
        MaintenanceModule.register({
          endingNoticeSeconds: env.MAINTENANCE_ENDING_NOTICE_SECONDS,
          refreshIntervalMs: env.SILENCE_REFRESH_INTERVAL_MS,
          retryMs: env.TIMER_POLL_INTERVAL_MS,
        }),
        InhibitionModule,
        IncidentsModule.register({ pollIntervalMs: env.INCIDENT_RULES_POLL_INTERVAL_MS }),
        CommandsModule,
        TimersModule.register({
          pollIntervalMs: env.TIMER_POLL_INTERVAL_MS,
          batchSize: env.TIMER_BATCH_SIZE,
        }),
        HousekeepingModule.register(env),
        HeartbeatsModule.register({
          pollIntervalMs: env.HEARTBEAT_POLL_INTERVAL_MS,
          graceMs: env.HEARTBEAT_GRACE_MS,
          refreshIntervalMs: env.HEARTBEAT_REFRESH_INTERVAL_MS,
        }),
      ],
      providers: [{ provide: CorrelatorEnv, useValue: env }],
    };
  }
}

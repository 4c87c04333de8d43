import { DynamicModule, Module } from '@nestjs/common';
import { Consumers } from '@vigil/contracts';
import { MessagingModule, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { AlertsModule } from './alerts/alerts.module';
import { CorrelatorEnv } from './correlator.env';
import { OutboxModule } from './outbox/outbox.module';

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
          service: 'correlator',
          servers: env.NATS_URL,
          prefix: env.VIGIL_SUBJECT_PREFIX,
          streamReplicas: env.NATS_STREAM_REPLICAS,
          producerDuplicateWindowSeconds: env.NATS_DUPLICATE_WINDOW_SECONDS,
          consumers: [Consumers.CorrelatorClassified],
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
        AlertsModule,
      ],
      providers: [{ provide: CorrelatorEnv, useValue: env }],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { AlertsModule } from './alerts/alerts.module';
import { QueryEnv } from './query.env';

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
        // No consumers yet: NATS carries operator commands to the correlator and the live stream.
        MessagingModule.forRoot({
          service: 'query',
          servers: env.NATS_URL,
          prefix: env.VIGIL_SUBJECT_PREFIX,
          streamReplicas: env.NATS_STREAM_REPLICAS,
          producerDuplicateWindowSeconds: env.NATS_DUPLICATE_WINDOW_SECONDS,
          consumers: [],
          shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        }),
        PersistenceModule.forRoot({ url: env.DATABASE_URL, applicationName: 'vigil-query', poolSize: 5 }),
        AlertsModule,
      ],
      providers: [{ provide: QueryEnv, useValue: env }],
    };
  }
}

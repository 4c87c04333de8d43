import { DynamicModule, Module } from '@nestjs/common';
import { Consumers } from '@vigil/contracts';
import { MessagingModule, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { NotificationsModule } from './notifications/notifications.module';
import { NotifierEnv } from './notifier.env';

@Module({})
export class AppModule {
  static register(env: NotifierEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'notifier',
          readiness: [NatsHealthIndicator, DatabaseHealthIndicator],
        }),
        MessagingModule.forRoot({
          service: 'notifier',
          servers: env.NATS_URL,
          prefix: env.VIGIL_SUBJECT_PREFIX,
          streamReplicas: env.NATS_STREAM_REPLICAS,
          producerDuplicateWindowSeconds: env.NATS_DUPLICATE_WINDOW_SECONDS,
          consumers: [Consumers.NotifierAlerts],
          shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        }),
        PersistenceModule.forRoot({ url: env.DATABASE_URL, applicationName: 'vigil-notifier', poolSize: 5 }),
        NotificationsModule.register({ urls: env.webhookUrls, timeoutMs: env.NOTIFIER_WEBHOOK_TIMEOUT_MS }),
      ],
      providers: [{ provide: NotifierEnv, useValue: env }],
    };
  }
}

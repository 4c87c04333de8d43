import { DynamicModule, Module } from '@nestjs/common';
import { Consumers } from '@vigil/contracts';
import { MessagingModule, messagingOptionsFromEnv, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { ConfigModule } from './config/config.module';
import { NotificationsModule } from './notifications/notifications.module';
import { NotifierEnv } from './notifier.env';
import { PagingModule } from './paging/paging.module';

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
          ...messagingOptionsFromEnv(env),
          service: 'notifier',
          consumers: [Consumers.NotifierAlerts, Consumers.NotifierIncidents],
          shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        }),
        PersistenceModule.forRoot({ url: env.DATABASE_URL, applicationName: 'vigil-notifier', poolSize: 5 }),
        ConfigModule.register({
          pollIntervalMs: env.NOTIFIER_CONFIG_POLL_INTERVAL_MS,
          testSendTimeoutMs: env.NOTIFIER_TEST_SEND_TIMEOUT_MS,
        }),
        NotificationsModule.register({ urls: env.webhookUrls, timeoutMs: env.NOTIFIER_WEBHOOK_TIMEOUT_MS }),
        PagingModule.register(
          {
            links: {
              publicUrl: env.NOTIFIER_PUBLIC_URL || undefined,
              consoleUrl: env.NOTIFIER_CONSOLE_URL || undefined,
              secrets: env.actionLinkSecrets,
              ttlMs: env.NOTIFIER_ACTION_LINK_TTL_SECONDS * 1000,
            },
            stepPollIntervalMs: env.NOTIFIER_STEP_POLL_INTERVAL_MS,
            stepBatchSize: 100,
          },
          {
            maxAttempts: env.NOTIFIER_DELIVERY_MAX_ATTEMPTS,
            backoff: { baseMs: env.NOTIFIER_RETRY_BASE_MS, maxMs: env.NOTIFIER_RETRY_MAX_MS },
            pollIntervalMs: env.NOTIFIER_DELIVERY_POLL_INTERVAL_MS,
            batchSize: 50,
            // Longer than the slowest adapter's timeout (email: up to 120 s).
            leaseMs: 180_000,
          },
        ),
      ],
      providers: [{ provide: NotifierEnv, useValue: env }],
    };
  }
}

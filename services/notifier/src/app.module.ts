import { DynamicModule, Module, Provider } from '@nestjs/common';
import { Consumers } from '@vigil/contracts';
import { MessagingModule, messagingOptionsFromEnv, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { ChangesModule } from './changes';
import { ChannelsModule } from './channels';
import { NOTIFIER_CONFIG_SETTINGS, NotifierConfigModule } from './config';
import type { NotifierConfigSettings } from './config';
import { DELIVERY_SETTINGS, DeliveryModule } from './delivery';
import type { DeliverySettings } from './delivery';
import { FeedModule } from './feed';
import { NotifierEnv } from './notifier.env';
import { PAGING_SETTINGS, PagingModule } from './paging';
import type { PagingSettings } from './paging';

/** Each feature's settings, from the environment, under the token the feature declares. */
function settings(env: NotifierEnv): Provider[] {
  const config: NotifierConfigSettings = {
    pollIntervalMs: env.NOTIFIER_CONFIG_POLL_INTERVAL_MS,
    testSendTimeoutMs: env.NOTIFIER_TEST_SEND_TIMEOUT_MS,
    feed: {
      urls: env.webhookUrls,
      secrets: env.webhookSecrets,
      timeoutMs: env.NOTIFIER_WEBHOOK_TIMEOUT_MS,
    },
  };
  const paging: PagingSettings = {
    links: {
      publicUrl: env.NOTIFIER_PUBLIC_URL || undefined,
      consoleUrl: env.NOTIFIER_CONSOLE_URL || undefined,
      secrets: env.actionLinkSecrets,
      ttlMs: env.NOTIFIER_ACTION_LINK_TTL_SECONDS * 1000,
    },
    stepPollIntervalMs: env.NOTIFIER_STEP_POLL_INTERVAL_MS,
    stepBatchSize: 100,
  };
  const delivery: DeliverySettings = {
    maxAttempts: env.NOTIFIER_DELIVERY_MAX_ATTEMPTS,
    backoff: { baseMs: env.NOTIFIER_RETRY_BASE_MS, maxMs: env.NOTIFIER_RETRY_MAX_MS },
    pollIntervalMs: env.NOTIFIER_DELIVERY_POLL_INTERVAL_MS,
    batchSize: 50,
    // Longer than the slowest adapter's timeout (email: up to 120 s).
    leaseMs: 180_000,
  };
  return [
    { provide: NOTIFIER_CONFIG_SETTINGS, useValue: config },
    { provide: PAGING_SETTINGS, useValue: paging },
    { provide: DELIVERY_SETTINGS, useValue: delivery },
  ];
}

/**
 * The notifier's wiring, and the only global module of its own: it provides the settings each
 * feature module declares (process-wide configuration). Feature modules import the modules they
 * use: channels ← config ← delivery ← paging, feed ← changes.
 */
@Module({})
export class AppModule {
  static register(env: NotifierEnv): DynamicModule {
    const shared = settings(env);
    return {
      module: AppModule,
      global: true,
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
        ChannelsModule,
        NotifierConfigModule,
        DeliveryModule,
        PagingModule,
        FeedModule,
        ChangesModule,
      ],
      // The environment stays here: a feature sees only the settings it declares.
      providers: [{ provide: NotifierEnv, useValue: env }, ...shared],
      exports: shared.map((provider) => ('provide' in provider ? provider.provide : provider)),
    };
  }
}

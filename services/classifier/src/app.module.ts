import { DynamicModule, Module } from '@nestjs/common';
import { Consumers } from '@vigil/contracts';
import { MessagingModule, messagingOptionsFromEnv, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { ADMIN_TOKEN_SETTINGS, AdminTokenSettings } from '@vigil/runtime';
import { ClassificationModule } from './classification/classification.module';
import { ClassifierEnv } from './classifier.env';
import { DryRunModule } from './dry-run/dry-run.module';
import { RulesModule } from './rules/rules.module';
import { CLASSIFIER_ENTITIES } from './storage/storage.module';
import { TablesModule } from './tables/tables.module';

@Module({})
export class AppModule {
  static register(env: ClassifierEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'classifier',
          readiness: [NatsHealthIndicator, DatabaseHealthIndicator],
        }),
        MessagingModule.forRoot({
          ...messagingOptionsFromEnv(env),
          service: 'classifier',
          consumers: [Consumers.ClassifierAccepted],
          shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        }),
        // Rule set versions and lookup tables (schema `classifier`).
        PersistenceModule.forRoot({
          url: env.DATABASE_URL,
          applicationName: 'vigil-classifier',
          poolSize: 2,
          entities: CLASSIFIER_ENTITIES,
        }),
        // The environment is every module's configuration, so it is global.
        {
          module: class ClassifierEnvModule {},
          global: true,
          providers: [
            { provide: ClassifierEnv, useValue: env },
            {
              provide: ADMIN_TOKEN_SETTINGS,
              useValue: {
                token: env.CLASSIFIER_ADMIN_TOKEN,
                variable: 'CLASSIFIER_ADMIN_TOKEN',
                whenUnset: 'allow',
              } satisfies AdminTokenSettings,
            },
          ],
          exports: [ClassifierEnv, ADMIN_TOKEN_SETTINGS],
        },
        ClassificationModule,
        RulesModule,
        TablesModule,
        DryRunModule,
      ],
    };
  }
}

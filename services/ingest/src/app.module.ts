import { DynamicModule, Module } from '@nestjs/common';
import { Consumers } from '@vigil/contracts';
import { MessagingModule, messagingOptionsFromEnv, NatsHealthIndicator } from '@vigil/messaging';
import { ObservabilityModule } from '@vigil/observability';
import { DatabaseHealthIndicator, PersistenceModule } from '@vigil/persistence';
import { AdminModule } from './admin/admin.module';
import { IngestEnv } from './ingest.env';
import { AlertmanagerModule } from './protocols/alertmanager/alertmanager.module';
import { CloudEventsModule } from './protocols/cloudevents/cloudevents.module';
import { PagerDutyModule } from './protocols/pagerduty/pagerduty.module';
import { PantherModule } from './protocols/panther/panther.module';
import { SyslogModule } from './protocols/syslog/syslog.module';
import { VigilModule } from './protocols/vigil/vigil.module';

@Module({})
export class AppModule {
  static register(env: IngestEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({
          service: 'ingest',
          readiness: [NatsHealthIndicator, DatabaseHealthIndicator],
        }),
        MessagingModule.forRoot({
          ...messagingOptionsFromEnv(env),
          service: 'ingest',
          consumers: [Consumers.IngestRaw],
          shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
        }),
        PersistenceModule.forRoot({ url: env.DATABASE_URL, applicationName: 'vigil-ingest', poolSize: 2 }),
        // The environment is every module's configuration, so it is global.
        {
          module: class IngestEnvModule {},
          global: true,
          providers: [{ provide: IngestEnv, useValue: env }],
          exports: [IngestEnv],
        },
        VigilModule,
        CloudEventsModule,
        AlertmanagerModule,
        PagerDutyModule,
        PantherModule,
        SyslogModule,
        AdminModule,
      ],
    };
  }
}

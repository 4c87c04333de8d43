import { DynamicModule, Module, Type } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { collectDefaultMetrics, Registry } from 'prom-client';
import {
  HealthController,
  MetricsController,
  READINESS_CHECKS,
  ReadinessCheck,
  ReadinessChecks,
  ReadinessMetrics,
} from './health';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions, ServiceMetrics } from './metrics';

export interface ObservabilityModuleOptions extends ObservabilityOptions {
  /** Checks behind `/readyz`; their providers must be available in the application. */
  readiness: Type<ReadinessCheck>[];
}

/**
 * `/healthz`, `/readyz` and `/metrics` for a service, and one prom-client registry per process
 * (injected as `Registry`) that every library registers its metrics in.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityModuleOptions): DynamicModule {
    const registry = new Registry();
    registry.setDefaultLabels({ service: options.service });
    collectDefaultMetrics({ register: registry });
    return {
      module: ObservabilityModule,
      global: true,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: Registry, useValue: registry },
        { provide: OBSERVABILITY_OPTIONS, useValue: { service: options.service } },
        { provide: READINESS_CHECKS, useValue: options.readiness },
        ReadinessChecks,
        ServiceMetrics,
        ReadinessMetrics,
      ],
      exports: [Registry, ServiceMetrics],
    };
  }
}

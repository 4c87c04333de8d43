import { Controller, Get, Header, Inject, Injectable, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult } from '@nestjs/terminus';
import { Registry } from 'prom-client';
import { ServiceMetrics } from './metrics';
import { ScrapeCache } from './scrape-cache';

/** Anything that can say whether a dependency is reachable (NATS, Postgres, …). */
export interface ReadinessCheck {
  check(): Promise<HealthIndicatorResult>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/**
 * Longest the readiness gauge waits for the checks. Above the checks' own two-second limits, so a
 * check that times out reports its reason first; well below Prometheus's default 10 s scrape timeout.
 */
export const READINESS_METRIC_TIMEOUT_MS = 3000;

@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly health: HealthCheckService,
    @Inject(READINESS_CHECKS) private readonly checks: Type<ReadinessCheck>[],
  ) {}

  all(): (() => Promise<HealthIndicatorResult>)[] {
    return this.checks.map((type) => () => this.moduleRef.get(type, { strict: false }).check());
  }

  /** Runs every check the way `/readyz` answers: resolves when all are up, else throws a 503. */
  run(): Promise<HealthCheckResult> {
    return this.health.check(this.all());
  }

  /** Whether `/readyz` would answer 200 now. */
  ready(): Promise<boolean> {
    return this.run().then(
      () => true,
      () => false,
    );
  }
}

/**
 * `vigil_<service>_ready`: 1 when `/readyz` would answer 200, else 0, computed by the same checks
 * at scrape time, so an alert on it and the kubelet's probe never disagree. Concurrent scrapes share
 * one run; a run that takes longer than `READINESS_METRIC_TIMEOUT_MS` counts as not ready.
 */
@Injectable()
export class ReadinessMetrics {
  constructor(metrics: ServiceMetrics, checks: ReadinessChecks) {
    const ready = new ScrapeCache(() => checks.ready(), {
      ttlMs: 0,
      timeoutMs: READINESS_METRIC_TIMEOUT_MS,
      description: 'readiness',
    });
    metrics.gauge(
      'ready',
      'Whether every readiness check behind /readyz passes (1) or not (0), evaluated at scrape time.',
      [],
      async function () {
        this.set((await ready.get()) ? 1 : 0);
      },
    );
  }
}

@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: ReadinessChecks,
  ) {}

  /** Liveness: the process answers. Dependencies are readiness's business, so a NATS outage never restarts pods. */
  @Get('healthz')
  @HealthCheck()
  liveness() {
    return this.health.check([]);
  }

  /** Readiness: NATS and Postgres reachable (503 otherwise). */
  @Get('readyz')
  @HealthCheck()
  readiness() {
    return this.checks.run();
  }
}

@Controller()
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

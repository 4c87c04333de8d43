import { Controller, Get, Header, Inject, Injectable, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthCheck, HealthCheckService, HealthIndicatorResult } from '@nestjs/terminus';
import { Registry } from 'prom-client';

/** Anything that can say whether a dependency is reachable (NATS, Postgres, …). */
export interface ReadinessCheck {
  check(): Promise<HealthIndicatorResult>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(READINESS_CHECKS) private readonly checks: Type<ReadinessCheck>[],
  ) {}

  all(): (() => Promise<HealthIndicatorResult>)[] {
    return this.checks.map((type) => () => this.moduleRef.get(type, { strict: false }).check());
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
    return this.health.check(this.checks.all());
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

import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, GaugeConfiguration, Histogram, Registry } from 'prom-client';

export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

export interface ObservabilityOptions {
  /** The service name: metric prefix `vigil_<service>_` and the `service` label of every series. */
  service: string;
}

/** Latency buckets from 1 ms to 30 s: pipeline latency lives in milliseconds but storms push it out. */
export const LATENCY_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * The service's own metrics, named `vigil_<service>_<noun>`. Labels must stay bounded: subjects'
 * families, outcomes, channels — never ids or free text.
 */
@Injectable()
export class ServiceMetrics {
  readonly eventLatency: Histogram<string>;

  constructor(
    readonly registry: Registry,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
  ) {
    this.eventLatency = this.histogram(
      'event_latency_seconds',
      'Time from ingest receiving an event to this service finishing with it.',
    );
  }

  name(noun: string): string {
    return `vigil_${this.options.service}_${noun}`;
  }

  counter<L extends string>(noun: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name: this.name(noun), help, labelNames, registers: [this.registry] });
  }

  /** A gauge; with `collect`, its value is computed when Prometheus scrapes (see `ScrapeCache`). */
  gauge<L extends string>(
    noun: string,
    help: string,
    labelNames: readonly L[] = [],
    collect?: GaugeConfiguration<L>['collect'],
  ): Gauge<L> {
    return new Gauge({ name: this.name(noun), help, labelNames, collect, registers: [this.registry] });
  }

  histogram<L extends string>(
    noun: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets = LATENCY_BUCKETS_SECONDS,
  ): Histogram<L> {
    return new Histogram({ name: this.name(noun), help, labelNames, buckets, registers: [this.registry] });
  }

  /** Records publish→processed latency for events received at these times (RFC 3339 or Date), done now. */
  observeEventLatency(receivedAt: readonly (string | Date)[]): void {
    const now = Date.now();
    for (const at of receivedAt) {
      const started = typeof at === 'string' ? Date.parse(at) : at.getTime();
      if (Number.isFinite(started)) this.eventLatency.observe(Math.max(0, now - started) / 1000);
    }
  }
}

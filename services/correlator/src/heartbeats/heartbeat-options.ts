import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';

export const HEARTBEAT_OPTIONS = Symbol('HEARTBEAT_OPTIONS');

export interface HeartbeatOptions {
  /** How often each replica looks for due deadlines. */
  pollIntervalMs: number;
  /** How long after the watermark passes a deadline it is judged: the pipeline's own latency. */
  graceMs: number;
  /** How often each replica reloads the definitions other replicas may have changed. */
  refreshIntervalMs: number;
}

/** `heartbeat_misses_total{change}`: misses raised, and misses recovered (events resumed, or deleted). */
@Injectable()
export class HeartbeatMetrics {
  readonly misses: Counter<'change'>;

  constructor(metrics: ServiceMetrics) {
    this.misses = metrics.counter('heartbeat_misses_total', 'Heartbeat misses raised and recovered.', [
      'change',
    ]);
  }
}

import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';

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

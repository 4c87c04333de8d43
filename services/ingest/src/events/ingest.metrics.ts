import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';

@Injectable()
export class IngestMetrics {
  readonly events: Counter<'via' | 'outcome'>;

  constructor(metrics: ServiceMetrics) {
    this.events = metrics.counter(
      'events_total',
      'Producer events by channel and outcome (accepted, duplicate, rejected).',
      ['via', 'outcome'],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';

@Injectable()
export class IngestMetrics {
  readonly events: Counter<'via' | 'protocol' | 'outcome'>;
  readonly throttled: Counter<'via' | 'reason'>;

  constructor(metrics: ServiceMetrics) {
    this.events = metrics.counter(
      'events_total',
      'Producer events by channel, format and outcome (accepted, duplicate, rejected, forbidden; acknowledged / ignored: a PagerDuty acknowledge sent to the correlator, or with no alert to acknowledge).',
      ['via', 'protocol', 'outcome'],
    );
    this.throttled = metrics.counter(
      'throttled_total',
      'Requests turned away before ingest: rate_limit (429), backpressure or unavailable (503).',
      ['via', 'reason'],
    );
  }
}

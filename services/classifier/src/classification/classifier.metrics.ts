import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';

@Injectable()
export class ClassifierMetrics {
  readonly classified: Counter<'category'>;
  readonly discarded: Counter;
  readonly ruleHits: Counter<'rule'>;

  constructor(metrics: ServiceMetrics) {
    this.classified = metrics.counter('events_total', 'Events classified, by category.', ['category']);
    this.discarded = metrics.counter(
      'discarded_total',
      'Events a rule discarded: acknowledged, never published.',
    );
    this.ruleHits = metrics.counter(
      'rule_hits_total',
      'Times each rule matched, by rule id (uuid, else name); discarded events count too.',
      ['rule'],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { ClassifierMetrics } from './classifier.metrics';

/**
 * How often each rule matched in this process since it started, for operators asking "does this
 * rule ever fire?". Per replica: Prometheus' `vigil_classifier_rule_hits_total` is the sum.
 */
@Injectable()
export class RuleHits {
  readonly since = new Date();
  private readonly counts = new Map<string, number>();

  constructor(private readonly metrics: ClassifierMetrics) {}

  record(matchedRules: readonly string[]): void {
    for (const rule of matchedRules) {
      this.counts.set(rule, (this.counts.get(rule) ?? 0) + 1);
      this.metrics.ruleHits.inc({ rule });
    }
  }

  of(rule: string): number {
    return this.counts.get(rule) ?? 0;
  }

  /** Every rule id that matched at least once. */
  ids(): string[] {
    return [...this.counts.keys()];
  }
}

import { Injectable } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import type { HistoryRecord } from './change-set';

/** `alert_changes_total{change}`: one counter for every path that changes alerts (events, commands, timers). */
@Injectable()
export class AlertChangeCounter {
  private readonly changes: Counter<'change'>;

  constructor(metrics: ServiceMetrics) {
    this.changes = metrics.counter('alert_changes_total', 'Announced alert transitions, by change.', [
      'change',
    ]);
  }

  /** Counts the committed changes (one history row each). */
  count(history: readonly HistoryRecord[]): void {
    for (const row of history) this.changes.inc({ change: row.action });
  }
}

import { Injectable } from '@nestjs/common';
import { ScrapeCache, ServiceMetrics } from '@vigil/observability';
import { OutboxBacklog, OutboxRepository } from './outbox.repository';

/** One backlog query per this long, however many Prometheis scrape each replica. */
export const OUTBOX_BACKLOG_CACHE_MS = 5000;
/** Longest the backlog query may hold `/metrics` up. */
export const OUTBOX_BACKLOG_TIMEOUT_MS = 2000;

/**
 * The relay's backlog, read from the table when Prometheus scrapes: how many committed changes wait
 * to be published and for how long the oldest has waited — a stuck relay shows as an age that only
 * grows. Every replica reads the same shared table, so dashboards take `max`, not `sum`.
 *
 * When Postgres does not answer in time both series are left out of the scrape rather than keeping
 * their last values: a stale backlog would hold an alert in whatever state it was, on a number
 * nobody measured; the readiness gauge says why the series are missing.
 */
@Injectable()
export class OutboxMetrics {
  constructor(outbox: OutboxRepository, metrics: ServiceMetrics) {
    const backlog = new ScrapeCache(() => outbox.backlog(), {
      ttlMs: OUTBOX_BACKLOG_CACHE_MS,
      timeoutMs: OUTBOX_BACKLOG_TIMEOUT_MS,
      description: 'the outbox backlog',
    });
    const gauge = (noun: string, help: string, pick: (backlog: OutboxBacklog) => number) =>
      metrics.gauge(noun, help, [], async function () {
        const value = await backlog.get();
        if (value) this.set(pick(value));
        else this.remove();
      });
    gauge(
      'outbox_pending_messages',
      'Messages committed to correlator.outbox and not yet published by the relay.',
      (b) => b.pending,
    );
    gauge(
      'outbox_oldest_age_seconds',
      'Age of the oldest message waiting in correlator.outbox; 0 when it is empty.',
      (b) => b.oldestAgeSeconds,
    );
  }
}

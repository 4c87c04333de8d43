import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AlertStatus } from '@vigil/contracts';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { OutboxService } from '../outbox';
import { AlertChangeCounter } from './alert-change.counter';
import { alertFields } from './alert-fields';
import { ALERT_SILENCES } from './alert-silences';
import type { AlertSilences } from './alert-silences';
import { ConcurrentWriteError, AlertsRepository, AlertsTransaction } from './alerts.repository';
import { BATCH_OBSERVER } from './batch-observer';
import type { BatchObserver } from './batch-observer';
import {
  BatchPlan,
  CorrelationInput,
  CorrelationOutcome,
  inhibitionSourceMoved,
  planBatch,
} from './batch-plan';
import type { WritePlan } from './change-set';
import type { CorrelationScope } from './correlation-scope';
import { LifecycleConfig } from './lifecycle-config';

/** Attempts at a batch that keeps meeting concurrent writers before it is handed back to the transport. */
const ATTEMPTS = 5;
const DEADLOCK = '40P01';

export interface TransactionOptions {
  /**
   * How many times the work is tried in all (default 5). Paths that are retried anyway (a timer
   * pass is, at the next poll) or must answer soon (a command) try fewer times.
   */
  attempts?: number;
}

/**
 * De-duplication: each classified event becomes one occurrence of the alert for its fingerprint.
 * A batch is one transaction: lock the batch's alerts, drop event ids recorded before, plan every
 * change in memory, then write alerts, occurrences and announcements (outbox rows) with one
 * statement each. Redeliveries and replicas therefore keep tallies exact; a batch that collides
 * with another replica's (the same new fingerprint, the same event) is planned again.
 *
 * Every other path that changes alerts — commands, timers, silence passes, heartbeat misses —
 * writes through `transaction` too, so each change is counted, announced and checked against the
 * silences the same way. Events made by the correlator itself (a missed heartbeat) are correlated
 * inside a transaction their caller holds, atomically with the caller's own writes.
 */
@Injectable()
export class CorrelationService {
  private readonly logger = new Logger(CorrelationService.name);
  private readonly outcomes: Counter<'result'>;

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly outbox: OutboxService,
    private readonly config: LifecycleConfig,
    private readonly changes: AlertChangeCounter,
    @Inject(ALERT_SILENCES) private readonly silences: AlertSilences,
    @Inject(BATCH_OBSERVER) private readonly observer: BatchObserver,
    metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter('events_total', 'Classified events processed, by result.', ['result']);
  }

  async correlate(inputs: readonly CorrelationInput[]): Promise<CorrelationOutcome[]> {
    // In memory: a batch no heartbeat cares about costs no statement.
    const observed = this.observer.observe(inputs);
    const outcomes = await this.transaction(async (scope) => {
      // Heartbeat rows before alerts, as every path locks them, so batches and the poll cannot deadlock.
      const extra = await observed?.advance(scope);
      const all = await scope.correlate(extra?.events.length ? [...inputs, ...extra.events] : inputs);
      await extra?.write();
      return all.slice(0, inputs.length);
    });
    for (const outcome of outcomes) this.outcomes.inc({ result: outcome.result });
    return outcomes;
  }

  /** The live (not closed) alert of a fingerprint, if any. */
  findLive(fingerprint: string): Promise<{ id: string; status: AlertStatus } | undefined> {
    return this.alerts.findLive(fingerprint);
  }

  /**
   * Runs `work` in one transaction, again from the start (up to five times unless `options` say
   * otherwise) when a concurrent writer or a deadlock got in the way; `work` must therefore only
   * write through the transaction. What it wrote is announced (the outbox) and counted once it
   * commits.
   */
  async transaction<T>(
    work: (scope: CorrelationScope) => Promise<T>,
    options: TransactionOptions = {},
  ): Promise<T> {
    const attempts = options.attempts ?? ATTEMPTS;
    for (let attempt = 1; ; attempt++) {
      const written: WritePlan[] = [];
      const effects: (() => void)[] = [];
      try {
        const result = await this.alerts.transaction((tx) =>
          work({
            sql: tx.connection,
            alerts: tx,
            correlate: async (inputs) => {
              if (!inputs.length) return [];
              const plan = await this.plan(tx, inputs);
              written.push(plan);
              return plan.outcomes;
            },
            write: async (changes) => {
              // A command or timer starting or stopping an inhibition source: others' inhibition may change.
              const moved = inhibitionSourceMoved(this.silences.view(), changes.activityChanged.values());
              if (moved) changes.reconcileAt ??= changes.now;
              await this.write(tx, changes);
              written.push(changes);
            },
            afterCommit: (effect) => effects.push(effect),
          }),
        );
        this.outbox.publishCommitted(written.flatMap((plan) => plan.outbox));
        for (const plan of written) this.changes.count(plan.history ?? []);
        for (const effect of effects) effect();
        return result;
      } catch (error) {
        const retry = error instanceof ConcurrentWriteError || (error as { code?: string }).code === DEADLOCK;
        if (!retry || attempt >= attempts) throw error;
        this.logger.debug(`transaction planned again (attempt ${attempt}): ${String(error)}`);
      }
    }
  }

  private async plan(tx: AlertsTransaction, inputs: readonly CorrelationInput[]): Promise<BatchPlan> {
    const fingerprints = [...new Set(inputs.map((i) => i.event.fingerprint))].sort();
    const ids = inputs.map((i) => i.event.id);
    const { pairing, policy } = this.config;
    // Only a batch carrying resolution events looks beyond its own fingerprints.
    const problemTypes = [
      ...new Set(inputs.flatMap((i) => pairing.rulesResolvedBy(i.event.type).map((r) => r.problem))),
    ];
    const existing = await tx.lockAlerts(fingerprints, problemTypes);
    const recorded = await tx.recordedEventIds(ids);
    const silences = this.silences.view();
    // Only a batch with possible inhibition targets reads which alerts are firing elsewhere.
    const targets =
      silences.inhibits &&
      [...inputs.map((i) => i.event), ...existing.values()].some((a) =>
        silences.isInhibitionTarget(
          alertFields({ ...a, service: a.service ?? null, environment: a.environment ?? null }),
        ),
      );
    const sources = targets ? await tx.activeAlertFields() : undefined;
    const planned = planBatch(inputs, existing, recorded, { policy, pairing, silences, sources });
    await this.write(tx, planned);
    return planned;
  }

  private async write(tx: AlertsTransaction, plan: WritePlan): Promise<void> {
    await tx.write(plan);
    if (plan.reconcileAt) await this.silences.requestReconcile(tx.connection, plan.reconcileAt);
  }
}

import { Injectable, Logger, Optional } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { HeartbeatTracker } from '../heartbeats/heartbeat-tracker';
import { OutboxRelay } from '../outbox/outbox.relay';
import { AlertChangeCounter } from './alert-change.counter';
import { ConcurrentWriteError, AlertsRepository, AlertsTransaction } from './alerts.repository';
import { BatchPlan, CorrelationInput, CorrelationOutcome, planBatch } from './batch-plan';
import { LifecycleConfig } from './lifecycle-config';
import { SilenceRules } from '../maintenance/silence-rules';
import { alertFields, isInhibitionTarget } from './silencing';

/** Attempts at a batch that keeps meeting concurrent writers before it is handed back to the transport. */
const ATTEMPTS = 5;
const DEADLOCK = '40P01';

/** One transaction of `CorrelationService.transaction`: events are correlated inside it, with other writes. */
export interface CorrelationScope {
  readonly tx: AlertsTransaction;
  /** Plans and writes these events as one batch in this transaction (lock, de-duplicate, plan, write). */
  correlate(inputs: readonly CorrelationInput[]): Promise<CorrelationOutcome[]>;
  /** Runs once the transaction has committed (counters); forgotten if it rolls back. */
  afterCommit(effect: () => void): void;
}

/**
 * De-duplication: each classified event becomes one occurrence of the alert for its fingerprint.
 * A batch is one transaction: lock the batch's alerts, drop event ids recorded before, plan every
 * change in memory, then write alerts, occurrences and announcements (outbox rows) with one
 * statement each. Redeliveries and replicas therefore keep tallies exact; a batch that collides
 * with another replica's (the same new fingerprint, the same event) is planned again.
 *
 * Events made by the correlator itself (a missed heartbeat) take the same path inside a
 * transaction their caller holds (`transaction`), so they are recorded, announced and notified
 * like any other, atomically with the caller's own writes.
 */
@Injectable()
export class CorrelationService {
  private readonly logger = new Logger(CorrelationService.name);
  private readonly outcomes: Counter<'result'>;

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly relay: OutboxRelay,
    private readonly config: LifecycleConfig,
    private readonly changes: AlertChangeCounter,
    private readonly silences: SilenceRules,
    metrics: ServiceMetrics,
    @Optional() private readonly heartbeats?: HeartbeatTracker,
  ) {
    this.outcomes = metrics.counter('events_total', 'Classified events processed, by result.', ['result']);
  }

  async correlate(inputs: readonly CorrelationInput[]): Promise<CorrelationOutcome[]> {
    // In memory: a batch no heartbeat cares about costs no statement.
    const seen = this.heartbeats?.seenIn(inputs);
    const outcomes = await this.transaction(async (scope) => {
      // Heartbeat rows before alerts, as every path locks them, so batches and the poll cannot deadlock.
      const beats = seen && (await this.heartbeats?.advance(scope, seen));
      const all = await scope.correlate(beats?.recoveries.length ? [...inputs, ...beats.recoveries] : inputs);
      await beats?.write();
      return all.slice(0, inputs.length);
    });
    for (const outcome of outcomes) this.outcomes.inc({ result: outcome.result });
    return outcomes;
  }

  /**
   * Runs `work` in one transaction, again from the start (up to five times) when a concurrent
   * writer or a deadlock got in the way; `work` must therefore only write through the transaction.
   */
  async transaction<T>(work: (scope: CorrelationScope) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const plans: BatchPlan[] = [];
      const effects: (() => void)[] = [];
      try {
        const result = await this.alerts.transaction((tx) =>
          work({
            tx,
            correlate: async (inputs) => {
              if (!inputs.length) return [];
              const plan = await this.plan(tx, inputs);
              plans.push(plan);
              return plan.outcomes;
            },
            afterCommit: (effect) => effects.push(effect),
          }),
        );
        for (const plan of plans) this.changes.count(plan.history ?? []);
        if (plans.some((plan) => plan.outbox.length)) this.relay.kick();
        for (const effect of effects) effect();
        return result;
      } catch (error) {
        const retry = error instanceof ConcurrentWriteError || (error as { code?: string }).code === DEADLOCK;
        if (!retry || attempt >= ATTEMPTS) throw error;
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
    const { windows, rules } = this.silences;
    // Only a batch with possible inhibition targets reads which alerts are firing elsewhere.
    const targets =
      rules.length > 0 &&
      [...inputs.map((i) => i.event), ...existing.values()].some((a) =>
        isInhibitionTarget(
          alertFields({ ...a, service: a.service ?? null, environment: a.environment ?? null }),
          rules,
        ),
      );
    const sources = targets ? await tx.activeAlertFields() : undefined;
    const planned = planBatch(inputs, existing, recorded, { policy, pairing, windows, rules, sources });
    await tx.write(planned);
    return planned;
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { OutboxRelay } from '../outbox/outbox.relay';
import { AlertChangeCounter } from './alert-change.counter';
import { ConcurrentWriteError, AlertsRepository } from './alerts.repository';
import { CorrelationInput, CorrelationOutcome, planBatch } from './batch-plan';
import { LifecycleConfig } from './lifecycle-config';
import { SilenceRules } from '../maintenance/silence-rules';
import { alertFields, isInhibitionTarget } from './silencing';

/** Attempts at a batch that keeps meeting concurrent writers before it is handed back to the transport. */
const ATTEMPTS = 5;
const DEADLOCK = '40P01';

/**
 * De-duplication: each classified event becomes one occurrence of the alert for its fingerprint.
 * A batch is one transaction: lock the batch's alerts, drop event ids recorded before, plan every
 * change in memory, then write alerts, occurrences and announcements (outbox rows) with one
 * statement each. Redeliveries and replicas therefore keep tallies exact; a batch that collides
 * with another replica's (the same new fingerprint, the same event) is planned again.
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
  ) {
    this.outcomes = metrics.counter('events_total', 'Classified events processed, by result.', ['result']);
  }

  async correlate(inputs: readonly CorrelationInput[]): Promise<CorrelationOutcome[]> {
    const fingerprints = [...new Set(inputs.map((i) => i.event.fingerprint))].sort();
    const ids = inputs.map((i) => i.event.id);
    const { pairing, policy } = this.config;
    // Only a batch carrying resolution events looks beyond its own fingerprints.
    const problemTypes = [
      ...new Set(inputs.flatMap((i) => pairing.rulesResolvedBy(i.event.type).map((r) => r.problem))),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        const plan = await this.alerts.transaction(async (tx) => {
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
        });
        for (const outcome of plan.outcomes) this.outcomes.inc({ result: outcome.result });
        this.changes.count(plan.history ?? []);
        if (plan.outbox.length) this.relay.kick();
        return plan.outcomes;
      } catch (error) {
        const retry = error instanceof ConcurrentWriteError || (error as { code?: string }).code === DEADLOCK;
        if (!retry || attempt >= ATTEMPTS) throw error;
        this.logger.debug(`batch of ${inputs.length} planned again (attempt ${attempt}): ${String(error)}`);
      }
    }
  }
}

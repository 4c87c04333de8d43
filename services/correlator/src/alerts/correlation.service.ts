import { Injectable } from '@nestjs/common';
import { AlertChange, ClassifiedEventV1 } from '@vigil/contracts';
import { ServiceMetrics } from '@vigil/observability';
import { AlertEntity } from '@vigil/persistence';
import { Counter } from 'prom-client';
import { OutboxRelay } from '../outbox/outbox.relay';
import { Decision, applyOccurrence, openAlert } from './alert-lifecycle';
import { alertChangedMessage, occurrenceOf, stateOf } from './alert-changes';
import { AlertsRepository } from './alerts.repository';

export type CorrelationOutcome =
  | { result: 'duplicate' }
  | { result: 'cleared_without_alert' }
  | { result: 'recorded'; alert: AlertEntity; change?: AlertChange };

/** Thrown inside the transaction to roll it back when the event was already recorded. */
class AlreadyRecorded extends Error {}

/**
 * De-duplication: each classified event becomes one occurrence of the alert for its fingerprint.
 * The occurrence, the alert update and the announcement (outbox row) commit together or not at all,
 * and an event id seen before changes nothing, so redeliveries and replicas keep tallies exact.
 */
@Injectable()
export class CorrelationService {
  private readonly outcomes: Counter<'result'>;
  private readonly changes: Counter<'change'>;

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly relay: OutboxRelay,
    metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter('events_total', 'Classified events processed, by result.', ['result']);
    this.changes = metrics.counter('alert_changes_total', 'Announced alert transitions, by change.', [
      'change',
    ]);
  }

  async correlate(event: ClassifiedEventV1, headers: Record<string, string>): Promise<CorrelationOutcome> {
    let outcome: CorrelationOutcome;
    try {
      outcome = await this.alerts.transaction(async (tx) => {
        const occurrence = occurrenceOf(event);
        let alert = await tx.lockByFingerprint(event.fingerprint);
        let decision: Decision | undefined;
        if (!alert) {
          if (event.severity === 'cleared') {
            if (!(await tx.recordOccurrence(event, null))) throw new AlreadyRecorded();
            return { result: 'cleared_without_alert' as const };
          }
          const opened = openAlert(occurrence);
          alert = await tx.insertIfAbsent(event, opened);
          if (alert) decision = { state: opened, change: 'opened' };
          // Another transaction opened it first; its row lock is ours once it commits.
          else alert = await tx.lockByFingerprint(event.fingerprint);
          if (!alert) throw new Error(`alert ${event.fingerprint} vanished during correlation`);
        }
        const current = stateOf(alert);
        decision ??= applyOccurrence(current, occurrence);
        if (!(await tx.recordOccurrence(event, alert.id))) throw new AlreadyRecorded();
        if (decision.change !== 'opened' && decision.state !== current) {
          alert = await tx.update(alert.id, decision.state);
        }
        if (decision.change) await tx.enqueue(alertChangedMessage(alert, decision.change, event, headers));
        return { result: 'recorded' as const, alert, change: decision.change };
      });
    } catch (error) {
      if (!(error instanceof AlreadyRecorded)) throw error;
      outcome = { result: 'duplicate' };
    }
    this.outcomes.inc({ result: outcome.result });
    if (outcome.result === 'recorded' && outcome.change) {
      this.changes.inc({ change: outcome.change });
      this.relay.kick();
    }
    return outcome;
  }
}

import { randomUUID } from 'node:crypto';
import type { AlertChange, ClassifiedEventV1 } from '@vigil/contracts';
import { AlertEntity } from '@vigil/persistence';
import { AlertState, applyOccurrence, openAlert } from './alert-lifecycle';
import { alertChangedMessage, occurrenceOf, stateOf } from './alert-changes';
import type { OutboxMessage } from './alerts.repository';

export type CorrelationOutcome =
  | { result: 'duplicate' }
  | { result: 'cleared_without_alert' }
  | { result: 'recorded'; alertId: string; change?: AlertChange };

export interface CorrelationInput {
  event: ClassifiedEventV1;
  /** Headers to carry onto any change message this event causes (trace context). */
  headers: Record<string, string>;
}

/** Everything one batch writes, decided before the first write. */
export interface BatchPlan {
  /** Alerts whose fingerprint had no row: inserted. */
  inserts: AlertEntity[];
  /** Existing alerts whose state changed: updated. */
  updates: AlertEntity[];
  occurrences: { event: ClassifiedEventV1; alertId: string | null }[];
  outbox: OutboxMessage[];
  /** One per input, in input order. */
  outcomes: CorrelationOutcome[];
}

function withState(alert: AlertEntity, state: AlertState, now: Date): AlertEntity {
  return Object.assign(new AlertEntity(), alert, state, { updatedAt: now });
}

function newAlert(event: ClassifiedEventV1, state: AlertState, now: Date): AlertEntity {
  return Object.assign(new AlertEntity(), {
    id: randomUUID(),
    fingerprint: event.fingerprint,
    node: event.node,
    source: event.source,
    type: event.type,
    category: event.category,
    service: event.service ?? null,
    environment: event.environment ?? null,
    labels: event.labels,
    createdAt: now,
    updatedAt: now,
    ...state,
  });
}

/**
 * Applies a batch of classified events to the current alerts, in the order given, and returns
 * what to write. Pure: the caller supplies the locked alert rows and the event ids already
 * recorded, and writes the plan in one transaction. Within a batch an alert may change several
 * times (opened, then resolved): each change gets its own message with the alert as it was then.
 */
export function planBatch(
  inputs: readonly CorrelationInput[],
  existing: ReadonlyMap<string, AlertEntity>,
  recorded: ReadonlySet<string>,
  now = new Date(),
): BatchPlan {
  const current = new Map<string, AlertEntity>(existing);
  const inserted = new Set<string>();
  const changed = new Set<string>();
  const seen = new Set<string>(recorded);
  const plan: BatchPlan = { inserts: [], updates: [], occurrences: [], outbox: [], outcomes: [] };

  for (const { event, headers } of inputs) {
    if (seen.has(event.id)) {
      plan.outcomes.push({ result: 'duplicate' });
      continue;
    }
    seen.add(event.id);
    const occurrence = occurrenceOf(event);
    const alert = current.get(event.fingerprint);
    if (!alert && event.severity === 'cleared') {
      plan.occurrences.push({ event, alertId: null });
      plan.outcomes.push({ result: 'cleared_without_alert' });
      continue;
    }
    let next: AlertEntity;
    let change: AlertChange | undefined;
    if (!alert) {
      next = newAlert(event, openAlert(occurrence), now);
      inserted.add(event.fingerprint);
      change = 'opened';
    } else {
      const before = stateOf(alert);
      const decision = applyOccurrence(before, occurrence);
      next = decision.state === before ? alert : withState(alert, decision.state, now);
      change = decision.change;
      if (next !== alert && !inserted.has(event.fingerprint)) changed.add(event.fingerprint);
    }
    current.set(event.fingerprint, next);
    plan.occurrences.push({ event, alertId: next.id });
    if (change) plan.outbox.push(alertChangedMessage(next, change, event, headers));
    plan.outcomes.push({ result: 'recorded', alertId: next.id, change });
  }

  for (const fingerprint of inserted) plan.inserts.push(current.get(fingerprint)!);
  for (const fingerprint of changed) plan.updates.push(current.get(fingerprint)!);
  return plan;
}

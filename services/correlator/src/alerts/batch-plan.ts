import { randomUUID } from 'node:crypto';
import type { AlertChange, ClassifiedEventV1 } from '@vigil/contracts';
import type { AlertLike } from '@vigil/matching';
import { PairingRules } from '../pairing';
import {
  AlertState,
  applyClear,
  applyOccurrence,
  applySilence,
  Decision,
  isActive,
  LifecyclePolicy,
  openAlert,
  Silence,
} from './alert-lifecycle';
import { alertFields } from './alert-fields';
import { NO_SILENCES, SilenceView } from './alert-silences';
import { Cause, occurrenceOf, stateOf, withState } from './alert-changes';
import { ChangeSet, WritePlan } from './change-set';
import type { AlertFieldsRow, AlertRow } from './alerts.rows';

export type CorrelationOutcome =
  | { result: 'duplicate' }
  | { result: 'cleared_without_alert' }
  /** A resolution event of a pairing rule: the alerts it resolved (maybe none). */
  | { result: 'resolution'; resolved: string[] }
  | { result: 'recorded'; alertId: string; change?: AlertChange };

export interface CorrelationInput {
  event: ClassifiedEventV1;
  /** Headers to carry onto any change message this event causes (trace context). */
  headers: Record<string, string>;
}

/** Everything one batch writes, decided before the first write. */
export interface BatchPlan extends WritePlan {
  /** One per input, in input order. */
  outcomes: CorrelationOutcome[];
}

export interface PlanContext {
  policy: LifecyclePolicy;
  pairing: PairingRules;
  now?: Date;
  /** Maintenance windows and inhibition rules in force (none when absent). */
  silences?: SilenceView;
  /**
   * Firing alerts outside the batch that may inhibit its alerts (read unlocked), when the batch has
   * inhibition targets; absent: the batch leaves inhibition marks as they are.
   */
  sources?: readonly AlertFieldsRow[];
}

/** Whether any of these alerts (which started or stopped firing) can inhibit others: a reconcile is due. */
export function inhibitionSourceMoved(silences: SilenceView, alerts: Iterable<AlertRow>): boolean {
  if (!silences.inhibits) return false;
  for (const alert of alerts) if (silences.isInhibitionSource(alertFields(alert))) return true;
  return false;
}

function newAlert(event: ClassifiedEventV1, state: AlertState, now: Date): AlertRow {
  return {
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
  };
}

/**
 * Applies a batch of classified events to the current alerts, in the order given, and returns
 * what to write. Pure: the caller supplies the locked live alerts (by fingerprint; with pairing,
 * also the active alerts of the problem types) and the event ids already recorded, and writes the
 * plan in one transaction. Within a batch an alert may change several times (opened, then
 * resolved): each change gets its own message with the alert as it was then.
 */
export function planBatch(
  inputs: readonly CorrelationInput[],
  existing: ReadonlyMap<string, AlertRow>,
  recorded: ReadonlySet<string>,
  context: PlanContext,
): BatchPlan {
  const now = context.now ?? new Date();
  const { policy, pairing } = context;
  const live = new Map<string, AlertRow>(existing);
  const seen = new Set<string>(recorded);
  const changes = new ChangeSet(now);
  const outcomes: CorrelationOutcome[] = [];

  const decide = (alert: AlertRow, before: AlertState | null, decision: Decision, cause: Cause) => {
    const next = changes.apply(alert, before, decision, cause);
    if (next.status === 'closed') live.delete(next.fingerprint);
    else live.set(next.fingerprint, next);
    return next;
  };

  const silences = context.silences ?? NO_SILENCES;
  let inhibitedHere = false;
  /** What silences an alert with these fields now; `current` keeps inhibition when sources are unknown. */
  const silenceFor = (alert: AlertRow, current: AlertState | null): Silence => {
    const fields = alertFields(alert);
    let inhibitedBy = current?.inhibitedBy ?? null;
    if (context.sources && silences.inhibits) {
      const firing = new Map<string, AlertLike>();
      for (const a of context.sources) firing.set(a.id, { id: a.id, fields: alertFields(a) });
      for (const a of live.values()) {
        if (isActive(a.status)) firing.set(a.id, { id: a.id, fields: alertFields(a) });
        else firing.delete(a.id);
      }
      inhibitedBy = silences.inhibitingAlert({ id: alert.id, fields }, [...firing.values()]);
    }
    if (inhibitedBy !== null && inhibitedBy !== current?.inhibitedBy) inhibitedHere = true;
    return { suppressedBy: silences.suppressingWindow(fields, now), inhibitedBy };
  };

  for (const { event, headers } of inputs) {
    if (seen.has(event.id)) {
      outcomes.push({ result: 'duplicate' });
      continue;
    }
    seen.add(event.id);
    const cause: Cause = { actor: 'system', eventId: event.id, receivedAt: event.receivedAt, headers };
    const occurrence = occurrenceOf(event);

    const rules = pairing.rulesResolvedBy(event.type);
    const resolved: string[] = [];
    for (const rule of rules) {
      for (const alert of [...live.values()]) {
        if (!isActive(alert.status) || !PairingRules.matches(rule, event, alert)) continue;
        const before = stateOf(alert);
        const decision = applyClear(before, occurrence, now, policy, {
          pairing: { problem: rule.problem, resolution: rule.resolution, match: rule.match },
        });
        if (decision.transitions.length) resolved.push(decide(alert, before, decision, cause).id);
      }
    }

    const alert = live.get(event.fingerprint);
    // A pure resolution event is a clear for its own fingerprint and never a problem of its own.
    if (rules.length && !pairing.isProblem(event.type)) {
      if (alert && event.severity === 'cleared') {
        const before = stateOf(alert);
        decide(alert, before, applyClear(before, occurrence, now, policy), cause);
      }
      changes.occurrences.push({ event, alertId: alert?.id ?? null });
      outcomes.push({ result: 'resolution', resolved });
      continue;
    }

    if (!alert && event.severity === 'cleared') {
      changes.occurrences.push({ event, alertId: null });
      outcomes.push({ result: 'cleared_without_alert' });
      continue;
    }
    let target = alert;
    let change: AlertChange | undefined;
    if (target && !silences.empty) {
      // Silences first, so that what the occurrence announces (a reopen) is notified or not as it should.
      const before = stateOf(target);
      target = decide(target, before, applySilence(before, silenceFor(target, before)), cause);
    }
    if (target) {
      const before = stateOf(target);
      const decision = applyOccurrence(before, occurrence, now, policy);
      const next = decide(target, before, decision, cause);
      // Its reopen window had passed: that alert is closed now, and this occurrence opens a new one.
      target = decision.superseded ? undefined : next;
      change = decision.transitions[0]?.change;
    }
    if (!target) {
      const fresh = newAlert(event, openAlert(occurrence, now, policy).state, now);
      const silence = silences.empty ? undefined : silenceFor(fresh, null);
      const decision = openAlert(occurrence, now, policy, silence);
      target = decide(withState(fresh, decision.state, now), null, decision, cause);
      change = 'opened';
    }
    changes.occurrences.push({ event, alertId: target.id });
    outcomes.push({ result: 'recorded', alertId: target.id, change });
  }
  // A source that started or stopped firing changes what others are inhibited by; an alert
  // inhibited on an unlocked read of its source is checked again once that read may be stale.
  const sourceMoved = inhibitionSourceMoved(silences, changes.activityChanged.values());
  return {
    reconcileAt: sourceMoved || inhibitedHere ? now : undefined,
    inserts: changes.inserts,
    updates: changes.updates,
    occurrences: changes.occurrences,
    outbox: changes.outbox,
    history: changes.history,
    timers: changes.timers,
    outcomes,
  };
}

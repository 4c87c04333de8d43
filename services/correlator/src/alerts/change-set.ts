import type { AlertChangedV1, ClassifiedEventV1 } from '@vigil/contracts';
import type { AlertState, Decision, TimerPlan } from './alert-lifecycle';
import { alertChangedMessage, Cause, withState } from './alert-changes';
import type { OutboxMessage } from '../outbox';
import type { AlertRow, TimerKind } from './alerts.rows';

/** One row of `correlator.alert_history`. */
export interface HistoryRecord {
  alert_id: string;
  sequence: number;
  at: Date;
  actor: string;
  action: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  event_id: string | null;
  command_id: string | null;
  details: Record<string, unknown>;
}

/** One timer to set (`due_at`) or cancel (`due_at` null). */
export interface TimerRecord {
  alert_id: string;
  kind: TimerKind;
  due_at: Date | null;
}

/**
 * What `AlertsTransaction.write` takes: alerts to update and insert, occurrences, change messages,
 * and (optionally) history rows and timers.
 */
export interface WritePlan {
  inserts: AlertRow[];
  updates: AlertRow[];
  occurrences: { event: ClassifiedEventV1; alertId: string | null }[];
  outbox: OutboxMessage<AlertChangedV1>[];
  history?: HistoryRecord[];
  timers?: TimerRecord[];
  /**
   * Ask for a silence reconcile at this time (an inhibition source started or stopped firing, or
   * an alert was inhibited on an unlocked read of its source): see `AlertSilences.requestReconcile`.
   */
  reconcileAt?: Date;
}

/** Changes that start or stop an alert firing: an inhibition source doing so needs a reconcile. */
const ACTIVITY_CHANGES: ReadonlySet<string> = new Set(['opened', 'reopened', 'resolved', 'expired']);

/**
 * Everything one transaction writes, whatever drives it (a batch of events, a command, due timers):
 * alerts to insert and update, a history row and a change message per transition, and the alerts'
 * timers. Decisions are applied in order; an alert changed twice is written once, as it ended.
 */
export class ChangeSet implements WritePlan {
  private readonly inserted = new Map<string, AlertRow>();
  private readonly updated = new Map<string, AlertRow>();
  private readonly timerPlans = new Map<string, TimerPlan>();
  readonly history: HistoryRecord[] = [];
  readonly outbox: OutboxMessage<AlertChangedV1>[] = [];
  /** Occurrences to record (batches only). */
  readonly occurrences: { event: ClassifiedEventV1; alertId: string | null }[] = [];
  /** Alerts that started or stopped firing here (as they ended). */
  readonly activityChanged = new Map<string, AlertRow>();
  reconcileAt?: Date;

  constructor(readonly now: Date) {}

  /**
   * Records a decision about `alert`, taken on state `before` (null: the decision created the alert),
   * and returns the alert as it now is. Lifecycle functions return `before` itself when nothing changed.
   */
  apply(alert: AlertRow, before: AlertState | null, decision: Decision, cause: Cause): AlertRow {
    if (before !== null && decision.state === before && !Object.keys(decision.timers).length) return alert;
    const next = withState(alert, decision.state, this.now);
    if (before === null || this.inserted.has(alert.id)) this.inserted.set(alert.id, next);
    else if (decision.state !== before) this.updated.set(alert.id, next);
    decision.transitions.forEach((transition, i) => {
      this.history.push({
        alert_id: alert.id,
        sequence: transition.sequence,
        at: this.now,
        actor: cause.actor,
        action: transition.change,
        from_status: transition.from,
        to_status: transition.to,
        reason: cause.reason ?? null,
        event_id: cause.eventId ?? null,
        // A command's id names its own change; what follows from it (flapping) is not the command.
        command_id: i === 0 ? (cause.commandId ?? null) : null,
        details: transition.details,
      });
      this.outbox.push(alertChangedMessage(next, transition, cause, this.now));
      if (ACTIVITY_CHANGES.has(transition.change)) this.activityChanged.set(alert.id, next);
    });
    if (Object.keys(decision.timers).length) {
      this.timerPlans.set(alert.id, { ...this.timerPlans.get(alert.id), ...decision.timers });
    }
    return next;
  }

  get inserts(): AlertRow[] {
    return [...this.inserted.values()];
  }

  get updates(): AlertRow[] {
    return [...this.updated.values()];
  }

  get timers(): TimerRecord[] {
    return [...this.timerPlans].flatMap(([alertId, plan]) =>
      (Object.entries(plan) as [TimerKind, Date | null][]).map(([kind, due]) => ({
        alert_id: alertId,
        kind,
        due_at: due,
      })),
    );
  }
}

import type { AlertSnapshotSource, AlertStatus } from '@vigil/contracts';

/**
 * A row of `correlator.alerts`: one de-duplicated alert per fingerprint at a time. The fingerprint
 * is unique among alerts that are not closed (a partial unique index), so closed alerts stay as
 * history beside a newer one. Beside the snapshot's fields: `priority` is the latest event's (null
 * on alerts opened before alerts carried it), `team` the one the latest event naming one was
 * directed to, `suppressedBy` the maintenance window silencing the alert (its changes are announced
 * with `notify: false`), `inhibitedBy` the active alert whose inhibition rule silences it.
 */
export interface AlertRow extends AlertSnapshotSource {
  lastEventId: string;
  /** Announced changes so far; the `sequence` of the latest `alerts.changed` message. */
  sequence: number;
  /** Occurrence time of what resolved it (a clear's `occurredAt`; the command's or timer's time). */
  resolvedAt: Date | null;
  /** The latest occurrence times, newest first, at most `RECENT_OCCURRENCES_KEPT`. */
  recentOccurrences: Date[];
  /** The status a snooze returns to when it ends. */
  statusBeforeSnooze: 'open' | 'acknowledged' | null;
  /** Without an occurrence for this long an active alert expires; 0: never. */
  timeoutSeconds: number;
  /** When the status last changed (the correlator's clock): the reopen window starts here. */
  statusChangedAt: Date;
  /** When the correlator last counted an occurrence (its clock): expiry is measured from here. */
  lastSeenAt: Date;
  /** Times of the recent open↔resolved transitions (the correlator's clock), for flap detection. */
  flapTransitions: Date[];
  createdAt: Date;
  updatedAt: Date;
}

/** What an active alert is read with as a possible inhibition source: its id and matchable fields. */
export type AlertFieldsRow = Pick<
  AlertRow,
  'id' | 'node' | 'service' | 'source' | 'type' | 'category' | 'environment' | 'labels'
>;

/**
 * A row of `correlator.alert_history`, the audit trail of an alert: one row per announced change
 * (event-, command- or timer-driven), written in the transaction that made the change, with the
 * change's sequence. A command's id is unique per alert, which is what makes a repeated command
 * return its first result.
 */
export interface AlertHistoryRow {
  alertId: string;
  /** The `sequence` of the `alerts.changed` message announcing this change. */
  sequence: number;
  at: Date;
  /** `system`, or the operator who gave the command. */
  actor: string;
  /** The change (`AlertChange`). */
  action: string;
  fromStatus: AlertStatus | null;
  toStatus: AlertStatus;
  reason: string | null;
  /** The event that caused the change, if an event did. */
  eventId: string | null;
  commandId: string | null;
  details: Record<string, unknown>;
}

export const TIMER_KINDS = ['expire', 'unsnooze', 'close', 'flap_check'] as const;

/**
 * The kind of a pending lifecycle timer of an alert (`correlator.timers`, at most one per kind):
 * expiry, end of a snooze, end of the reopen window (close) and the flap-stability check. Any
 * correlator replica claims due rows with `FOR UPDATE SKIP LOCKED`, so a timer fires once, and after
 * a restart as if nothing happened.
 */
export type TimerKind = (typeof TIMER_KINDS)[number];

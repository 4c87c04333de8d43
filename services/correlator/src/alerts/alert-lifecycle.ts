import { SEVERITY_RANK } from '@vigil/contracts';
import type { AlertChange, AlertStatus, AlertTrend, Priority, QuietReason, Severity } from '@vigil/contracts';
import type { TimerKind } from './alerts.rows';

/** How many recent occurrence times an alert keeps (its `recent_occurrences` column). */
export const RECENT_OCCURRENCES_KEPT = 20;

/** The lifecycle's tunables (environment, see `CorrelatorEnv`). Durations in seconds; 0 disables. */
export interface LifecyclePolicy {
  /** An active alert without an occurrence for this long expires, unless its events say otherwise. */
  defaultTimeoutSeconds: number;
  /** A resolved or expired alert that fires again within this window reopens; after it, it is closed. */
  reopenWindowSeconds: number;
  /** This many open↔resolved transitions within `flapWindowSeconds` make an alert flap. */
  flapThreshold: number;
  flapWindowSeconds: number;
}

export type ActiveStatus = 'open' | 'acknowledged' | 'snoozed';

/** The part of an alert the lifecycle decides on. */
export interface AlertState {
  status: AlertStatus;
  severity: Severity;
  previousSeverity: Severity | null;
  trend: AlertTrend;
  tally: number;
  firstOccurrence: Date;
  lastOccurrence: Date;
  /** Newest first, at most `RECENT_OCCURRENCES_KEPT`. */
  recentOccurrences: Date[];
  summary: string;
  /** The latest occurrence's priority; null on alerts opened before alerts carried it. */
  priority: Priority | null;
  /** The team of the latest occurrence that named one (see `applyOccurrence`). */
  team: string | null;
  /** Number of announced changes so far (the sequence of the latest change message). */
  sequence: number;
  /** When what resolved or expired it happened (a clear's occurrence time, or the correlator's clock). */
  resolvedAt: Date | null;
  lastEventId: string;
  assignee: string | null;
  snoozedUntil: Date | null;
  statusBeforeSnooze: 'open' | 'acknowledged' | null;
  timeoutSeconds: number;
  /** When the status last changed, on the correlator's clock: the reopen window starts here. */
  statusChangedAt: Date;
  /**
   * When the correlator last counted an occurrence (its clock). Expiry is measured from here, and
   * checked lazily: a repeat does not move the expire timer; the timer, when due, looks here and
   * either expires the alert or waits for the rest of its timeout.
   */
  lastSeenAt: Date;
  flapping: boolean;
  /** Times of recent open↔resolved transitions (correlator's clock), oldest first. */
  flapTransitions: Date[];
  /** The maintenance window silencing the alert, if any. */
  suppressedBy: string | null;
  /** The source alert whose inhibition rule silences this one, if any. */
  inhibitedBy: string | null;
}

/**
 * What silences an alert right now (worked out by the silences feature, see `SilenceView`): a
 * maintenance window, an inhibiting alert.
 */
export interface Silence {
  suppressedBy: string | null;
  inhibitedBy: string | null;
}

export const NOT_SILENCED: Silence = { suppressedBy: null, inhibitedBy: null };

export interface Occurrence {
  eventId: string;
  severity: Severity;
  summary: string;
  /** The classified event's priority and team (absent: the alert keeps what it has). */
  priority?: Priority;
  team?: string;
  occurredAt: Date;
  /** The event's `attributes.timeoutSeconds`, when it carries a valid one. */
  timeoutSeconds?: number;
}

/** For each timer kind: a new due time, `null` to cancel it, absent to leave it as it is. */
export type TimerPlan = Partial<Record<TimerKind, Date | null>>;

/** One announced change: a history row and an alert-change message, with this sequence. */
export interface Transition {
  change: AlertChange;
  sequence: number;
  from: AlertStatus | null;
  to: AlertStatus;
  /** False while the alert is snoozed, flapping (damped), in maintenance or inhibited. */
  notify: boolean;
  /** Why `notify` is false. */
  quietReason?: QuietReason;
  /** The alert as it was right after this change. */
  state: AlertState;
  details: Record<string, unknown>;
}

export interface Decision {
  state: AlertState;
  /** Announced changes, in order (several when e.g. a reopen starts flapping). */
  transitions: Transition[];
  timers: TimerPlan;
  /**
   * Set when the occurrence did not apply to this alert: its reopen window had passed. `state` is
   * then the alert closed, and the caller opens a new alert for the occurrence.
   */
  superseded?: true;
}

const ACTIVE: ReadonlySet<AlertStatus> = new Set<AlertStatus>(['open', 'acknowledged', 'snoozed']);
export const isActive = (status: AlertStatus): status is ActiveStatus => ACTIVE.has(status);
const isInactive = (status: AlertStatus) => status === 'resolved' || status === 'expired';

const seconds = (s: number) => s * 1000;
const after = (at: Date, s: number) => new Date(at.getTime() + seconds(s));

export function trendOf(from: Severity, to: Severity): AlertTrend {
  const delta = SEVERITY_RANK[to] - SEVERITY_RANK[from];
  return delta > 0 ? 'more_severe' : delta < 0 ? 'less_severe' : 'no_change';
}

/** Keeps the newest `RECENT_OCCURRENCES_KEPT` times, newest first; a late time takes its place in order. */
export function withRecent(recent: readonly Date[], at: Date): Date[] {
  const list = [...recent, at].sort((a, b) => b.getTime() - a.getTime());
  return list.slice(0, RECENT_OCCURRENCES_KEPT);
}

/** Why a change announced with this state should not reach people; undefined when it should. */
export function quietReason(change: AlertChange, state: AlertState): QuietReason | undefined {
  // Silences first: flapping of an alert in maintenance is nobody's business until it is released.
  if (state.suppressedBy !== null) return 'maintenance';
  if (state.inhibitedBy !== null) return 'inhibited';
  if (state.status === 'snoozed') return 'snoozed';
  if (state.flapping && change !== 'flapping_started' && change !== 'flapping_stopped') return 'flapping';
  return undefined;
}

/** Collects the changes of one decision, each with the next sequence and the state it left. */
class Changes {
  readonly transitions: Transition[] = [];
  timers: TimerPlan = {};

  constructor(public state: AlertState) {}

  /** Changes the state without announcing anything (a repeat counted). */
  quietly(next: Partial<AlertState>): void {
    this.state = { ...this.state, ...next };
  }

  announce(change: AlertChange, next: Partial<AlertState>, details: Record<string, unknown> = {}): void {
    const from = this.state.status;
    this.state = { ...this.state, ...next, sequence: this.state.sequence + 1 };
    const quiet = quietReason(change, this.state);
    this.transitions.push({
      change,
      sequence: this.state.sequence,
      from,
      to: this.state.status,
      notify: quiet === undefined,
      ...(quiet && { quietReason: quiet }),
      state: this.state,
      details,
    });
  }

  schedule(timers: TimerPlan): void {
    this.timers = { ...this.timers, ...timers };
  }

  decision(): Decision {
    return { state: this.state, transitions: this.transitions, timers: this.timers };
  }
}

function expiryAt(timeoutSeconds: number, now: Date): Date | null {
  return timeoutSeconds > 0 ? after(now, timeoutSeconds) : null;
}

/**
 * Counts an open↔resolved transition at `now` for flap detection: keeps the transitions within the
 * window, and starts flapping at the threshold. Returns the fields to set and whether it started.
 */
function countFlap(
  state: AlertState,
  now: Date,
  policy: LifecyclePolicy,
): { next: Pick<AlertState, 'flapping' | 'flapTransitions'>; started: boolean; check: Date | null } {
  if (policy.flapThreshold <= 0) {
    return { next: { flapping: false, flapTransitions: [] }, started: false, check: null };
  }
  const since = now.getTime() - seconds(policy.flapWindowSeconds);
  const transitions = [...state.flapTransitions.filter((t) => t.getTime() > since), now].slice(
    -policy.flapThreshold,
  );
  const flapping = state.flapping || transitions.length >= policy.flapThreshold;
  return {
    next: { flapping, flapTransitions: transitions },
    started: flapping && !state.flapping,
    // While flapping, stability is checked one window after the latest transition.
    check: flapping ? after(now, policy.flapWindowSeconds) : null,
  };
}

/** The changes common to every way an active alert stops being active (resolve, expiry). */
function deactivate(
  changes: Changes,
  change: 'resolved' | 'expired',
  next: Partial<AlertState>,
  now: Date,
  policy: LifecyclePolicy,
  details: Record<string, unknown>,
): void {
  const status: AlertStatus = change;
  const flap = change === 'resolved' ? countFlap(changes.state, now, policy) : undefined;
  changes.announce(
    change,
    {
      ...next,
      ...flap?.next,
      status,
      snoozedUntil: null,
      statusBeforeSnooze: null,
      statusChangedAt: now,
    },
    details,
  );
  if (flap?.started)
    changes.announce('flapping_started', {}, { transitions: flap.next.flapTransitions.length });
  changes.schedule({
    expire: null,
    unsnooze: null,
    close: after(now, policy.reopenWindowSeconds),
    ...(flap && changes.state.flapping ? { flap_check: flap.check } : {}),
  });
}

/** The first occurrence of a fingerprint (or the first after its last alert closed) opens an alert. */
export function openAlert(
  occurrence: Occurrence,
  now: Date,
  policy: LifecyclePolicy,
  silence: Silence = NOT_SILENCED,
): Decision {
  if (occurrence.severity === 'cleared') throw new Error('a cleared event cannot open an alert');
  const timeoutSeconds = occurrence.timeoutSeconds ?? policy.defaultTimeoutSeconds;
  const state: AlertState = {
    status: 'open',
    severity: occurrence.severity,
    previousSeverity: null,
    trend: 'no_change',
    tally: 1,
    firstOccurrence: occurrence.occurredAt,
    lastOccurrence: occurrence.occurredAt,
    recentOccurrences: [occurrence.occurredAt],
    summary: occurrence.summary,
    priority: occurrence.priority ?? null,
    team: occurrence.team ?? null,
    sequence: 1,
    resolvedAt: null,
    lastEventId: occurrence.eventId,
    assignee: null,
    snoozedUntil: null,
    statusBeforeSnooze: null,
    timeoutSeconds,
    statusChangedAt: now,
    lastSeenAt: now,
    flapping: false,
    flapTransitions: [],
    // Born silenced inside a maintenance window or under an active inhibiting alert.
    ...silence,
  };
  const quiet = quietReason('opened', state);
  return {
    state,
    transitions: [
      {
        change: 'opened',
        sequence: 1,
        from: null,
        to: 'open',
        notify: quiet === undefined,
        ...(quiet && { quietReason: quiet }),
        state,
        details: silenceDetails(silence),
      },
    ],
    timers: { expire: expiryAt(timeoutSeconds, now) },
  };
}

/**
 * Resolves an active alert because its problem cleared: a `cleared` event of its fingerprint, or a
 * paired resolution event (`details` says which rule). Ignored when the alert is not active, or
 * when a problem occurred after the clear (events can arrive out of order).
 */
export function applyClear(
  current: AlertState,
  clear: { eventId: string; occurredAt: Date },
  now: Date,
  policy: LifecyclePolicy,
  details: Record<string, unknown> = {},
): Decision {
  if (!isActive(current.status) || clear.occurredAt < current.lastOccurrence) {
    return { state: current, transitions: [], timers: {} };
  }
  const changes = new Changes(current);
  deactivate(
    changes,
    'resolved',
    { resolvedAt: clear.occurredAt, lastEventId: clear.eventId },
    now,
    policy,
    details,
  );
  return changes.decision();
}

/** Whether a resolved or expired alert's reopen window has passed: it is closed, or due to be. */
export function reopenWindowPassed(state: AlertState, now: Date, policy: LifecyclePolicy): boolean {
  return isInactive(state.status) && now >= after(state.statusChangedAt, policy.reopenWindowSeconds);
}

/**
 * Applies one more occurrence of an alert's fingerprint (`now` is the correlator's clock):
 * - a problem event counts (tally, last occurrence, recent times, latest summary, priority and
 *   team) and pushes the expiry back; on an active alert a new severity is announced as
 *   `severity_changed` (with the trend); on a resolved or expired alert it reopens it within the
 *   reopen window — unless it happened before what resolved it — and after the window the alert is
 *   closed instead and the occurrence belongs to a new alert (`superseded`);
 * - a `cleared` event resolves an active alert (see `applyClear`). It is not counted in the tally,
 *   which counts the problem's occurrences.
 * Snoozed alerts count and change like open ones; their changes are not notified.
 */
export function applyOccurrence(
  current: AlertState,
  occurrence: Occurrence,
  now: Date,
  policy: LifecyclePolicy,
): Decision {
  if (occurrence.severity === 'cleared') return applyClear(current, occurrence, now, policy);
  if (current.status === 'closed') throw new Error('a closed alert takes no occurrences');

  const late = current.resolvedAt !== null && occurrence.occurredAt < current.resolvedAt;
  if (isInactive(current.status) && !late && reopenWindowPassed(current, now, policy)) {
    return { ...closeAlert(current, now, 'the reopen window had passed'), superseded: true };
  }

  // An occurrence older than the latest one still counts, but does not rewrite the present.
  const latest = occurrence.occurredAt >= current.lastOccurrence;
  const changes = new Changes(current);
  changes.quietly({
    tally: current.tally + 1,
    lastOccurrence: latest ? occurrence.occurredAt : current.lastOccurrence,
    recentOccurrences: withRecent(current.recentOccurrences, occurrence.occurredAt),
    summary: latest ? occurrence.summary : current.summary,
    // Priority and team follow the latest event, like severity and summary, but changing them is no
    // announced change of its own: the next change's snapshot carries them. An event without a team
    // keeps the alert's team rather than clearing it: teams come from rules and lookup tables that
    // need not match every occurrence of a problem, and an alert that lost its team mid-way would
    // fall out of its team's routing (paging) while the problem goes on.
    priority: latest && occurrence.priority ? occurrence.priority : current.priority,
    team: latest && occurrence.team ? occurrence.team : current.team,
    lastEventId: occurrence.eventId,
    lastSeenAt: now,
    timeoutSeconds:
      latest && occurrence.timeoutSeconds !== undefined ? occurrence.timeoutSeconds : current.timeoutSeconds,
  });
  const severityMoved = latest && occurrence.severity !== current.severity;
  const withSeverity = severityMoved
    ? {
        severity: occurrence.severity,
        previousSeverity: current.severity,
        trend: trendOf(current.severity, occurrence.severity),
      }
    : {};

  if (isInactive(current.status)) {
    if (late) return changes.decision();
    const flap = countFlap(changes.state, now, policy);
    changes.announce('reopened', {
      ...withSeverity,
      ...flap.next,
      status: 'open',
      resolvedAt: null,
      statusChangedAt: now,
    });
    if (flap.started)
      changes.announce('flapping_started', {}, { transitions: flap.next.flapTransitions.length });
    changes.schedule({
      close: null,
      expire: expiryAt(changes.state.timeoutSeconds, now),
      ...(changes.state.flapping ? { flap_check: flap.check } : {}),
    });
    return changes.decision();
  }

  if (severityMoved) changes.announce('severity_changed', withSeverity);
  // A repeat leaves the expire timer where it is (it checks `lastSeenAt` when due), so counting a
  // storm's repeats writes no timer rows; only a new timeout moves it.
  if (changes.state.timeoutSeconds !== current.timeoutSeconds) {
    changes.schedule({ expire: expiryAt(changes.state.timeoutSeconds, now) });
  }
  return changes.decision();
}

/** Closes a resolved or expired alert for good: its fingerprint is free for a new alert. */
export function closeAlert(current: AlertState, now: Date, reason: string): Decision {
  const changes = new Changes(current);
  // A closed alert takes no more transitions, so it cannot be flapping any more.
  changes.announce('closed', { status: 'closed', statusChangedAt: now, flapping: false }, { reason });
  changes.schedule({ expire: null, unsnooze: null, close: null, flap_check: null });
  return changes.decision();
}

/**
 * A due timer of the alert (`now` is at least its due time). The timer table is kept in step with
 * the state, but a timer may still find the alert changed (a command in between): then it does
 * nothing, and is cancelled or moved.
 */
export function applyTimer(
  current: AlertState,
  kind: TimerKind,
  now: Date,
  policy: LifecyclePolicy,
): Decision {
  const changes = new Changes(current);
  // Closing cancels every timer; one claimed in the same poll finds the alert closed and does nothing.
  if (current.status === 'closed') return { state: current, transitions: [], timers: { [kind]: null } };
  switch (kind) {
    case 'expire': {
      if (!isActive(current.status)) break;
      const deadline = expiryAt(current.timeoutSeconds, current.lastSeenAt);
      if (deadline === null) {
        changes.schedule({ expire: null });
      } else if (deadline > now) {
        // Seen since the timer was set: wait for the rest of the timeout.
        changes.schedule({ expire: deadline });
      } else {
        deactivate(changes, 'expired', { resolvedAt: now }, now, policy, {
          timeoutSeconds: current.timeoutSeconds,
        });
      }
      break;
    }
    case 'unsnooze':
      if (current.status === 'snoozed') {
        changes.announce('unsnoozed', {
          status: current.statusBeforeSnooze ?? 'open',
          snoozedUntil: null,
          statusBeforeSnooze: null,
          statusChangedAt: now,
        });
      }
      break;
    case 'close':
      if (isInactive(current.status)) return closeAlert(current, now, 'the reopen window passed');
      break;
    case 'flap_check': {
      const last = current.flapTransitions[current.flapTransitions.length - 1];
      if (current.flapping && last && after(last, policy.flapWindowSeconds) > now) {
        changes.schedule({ flap_check: after(last, policy.flapWindowSeconds) });
      } else if (current.flapping) {
        changes.announce(
          'flapping_stopped',
          { flapping: false },
          { stableForSeconds: policy.flapWindowSeconds },
        );
      }
      break;
    }
  }
  // A fired timer is gone unless the decision set it again.
  if (changes.timers[kind] === undefined) changes.schedule({ [kind]: null });
  return changes.decision();
}

/** An operator command, as the lifecycle sees it (who gave it is the history's business). */
export type AlertCommand =
  | { kind: 'acknowledge' }
  | { kind: 'unacknowledge' }
  | { kind: 'resolve' }
  | { kind: 'assign'; assignee: string | null }
  | { kind: 'snooze'; until: Date }
  | { kind: 'change_severity'; severity: Exclude<Severity, 'cleared'> }
  | { kind: 'add_note'; text: string };

export type CommandOutcome =
  { ok: true; changed: boolean; decision: Decision } | { ok: false; reason: string };

const PAST_PARTICIPLE: Record<AlertCommand['kind'], string> = {
  acknowledge: 'acknowledged',
  unacknowledge: 'unacknowledged',
  resolve: 'resolved',
  assign: 'assigned',
  snooze: 'snoozed',
  change_severity: 'given a new severity',
  add_note: 'annotated',
};

function refuse(
  alertId: string,
  status: AlertStatus,
  command: AlertCommand['kind'],
  why?: string,
): CommandOutcome {
  const article = status === 'open' || status === 'acknowledged' || status === 'expired' ? 'an' : 'a';
  return {
    ok: false,
    reason:
      `alert ${alertId} is ${status}: ${article} ${status} alert cannot be ${PAST_PARTICIPLE[command]}` +
      (why ? ` (${why})` : ''),
  };
}

const unchanged = (current: AlertState): CommandOutcome => ({
  ok: true,
  changed: false,
  decision: { state: current, transitions: [], timers: {} },
});

/**
 * Applies an operator command. Legal commands change the alert and announce it; a command whose
 * effect already holds (acknowledging an acknowledged alert) succeeds without a change; an illegal
 * one is refused with the reason. Notes are accepted in every status, closed included.
 */
export function applyCommand(
  alertId: string,
  current: AlertState,
  command: AlertCommand,
  now: Date,
  policy: LifecyclePolicy,
): CommandOutcome {
  const changes = new Changes(current);
  const done = (): CommandOutcome => ({ ok: true, changed: true, decision: changes.decision() });
  const { status } = current;
  switch (command.kind) {
    case 'acknowledge':
      if (status === 'acknowledged') return unchanged(current);
      if (status !== 'open' && status !== 'snoozed') return refuse(alertId, status, command.kind);
      // Acknowledging a snoozed alert ends the snooze: someone is on it now.
      changes.announce(
        'acknowledged',
        { status: 'acknowledged', snoozedUntil: null, statusBeforeSnooze: null, statusChangedAt: now },
        status === 'snoozed' ? { endedSnooze: true } : {},
      );
      changes.schedule({ unsnooze: null });
      return done();
    case 'unacknowledge':
      if (status === 'open') return unchanged(current);
      if (status !== 'acknowledged') return refuse(alertId, status, command.kind);
      changes.announce('unacknowledged', { status: 'open', statusChangedAt: now });
      return done();
    case 'resolve':
      if (status === 'resolved') return unchanged(current);
      if (!isActive(status)) return refuse(alertId, status, command.kind);
      deactivate(changes, 'resolved', { resolvedAt: now }, now, policy, {});
      return done();
    case 'assign':
      if (status === 'closed') return refuse(alertId, status, command.kind);
      if (current.assignee === command.assignee) return unchanged(current);
      changes.announce(
        'assigned',
        { assignee: command.assignee },
        { assignee: command.assignee, previousAssignee: current.assignee },
      );
      return done();
    case 'snooze':
      if (!isActive(status)) return refuse(alertId, status, command.kind);
      if (command.until <= now)
        return refuse(alertId, status, command.kind, 'the snooze would already be over');
      if (status === 'snoozed' && current.snoozedUntil?.getTime() === command.until.getTime())
        return unchanged(current);
      changes.announce(
        'snoozed',
        {
          status: 'snoozed',
          snoozedUntil: command.until,
          statusBeforeSnooze: status === 'snoozed' ? current.statusBeforeSnooze : status,
          statusChangedAt: status === 'snoozed' ? current.statusChangedAt : now,
        },
        { until: command.until.toISOString() },
      );
      changes.schedule({ unsnooze: command.until });
      return done();
    case 'change_severity':
      if (!isActive(status)) return refuse(alertId, status, command.kind);
      if (current.severity === command.severity) return unchanged(current);
      changes.announce('severity_changed', {
        severity: command.severity,
        previousSeverity: current.severity,
        trend: trendOf(current.severity, command.severity),
      });
      return done();
    case 'add_note':
      changes.announce('note_added', {}, { text: command.text });
      return done();
  }
}

const sameSilence = (a: Silence, b: Silence) =>
  a.suppressedBy === b.suppressedBy && a.inhibitedBy === b.inhibitedBy;

function silenceDetails(silence: Silence): Record<string, unknown> {
  return {
    ...(silence.suppressedBy && { maintenanceWindowId: silence.suppressedBy }),
    ...(silence.inhibitedBy && { inhibitedBy: silence.inhibitedBy }),
  };
}

/**
 * Sets what silences an alert now (`silence`, from the silences feature). Only firing alerts
 * announce it:
 * - not silenced → silenced: `suppressed` (a window) or `inhibited` (an inhibiting alert), never
 *   notified — the on-call is not to hear of it;
 * - silenced → not silenced, still open or acknowledged: `released`, notified, so a problem that
 *   outlived its window (or its source) reaches people; a snoozed alert is released quietly (its
 *   `unsnoozed` will be notified);
 * - silenced by something else (another window): recorded quietly.
 * Resolved and expired alerts take the marks quietly, so that a reopen is born with the right
 * `notify`; closed alerts are left alone.
 */
export function applySilence(current: AlertState, silence: Silence): Decision {
  const unchanged: Decision = { state: current, transitions: [], timers: {} };
  if (current.status === 'closed' || sameSilence(current, silence)) return unchanged;
  const changes = new Changes(current);
  const was = current.suppressedBy !== null || current.inhibitedBy !== null;
  const will = silence.suppressedBy !== null || silence.inhibitedBy !== null;
  if (!isActive(current.status) || (was && will)) {
    changes.quietly(silence);
  } else if (will) {
    const change = silence.suppressedBy !== null ? 'suppressed' : 'inhibited';
    changes.announce(change, silence, silenceDetails(silence));
  } else if (current.status === 'snoozed') {
    changes.quietly(silence);
  } else {
    changes.announce('released', silence, {
      ...(current.suppressedBy && { endedMaintenanceWindowId: current.suppressedBy }),
      ...(current.inhibitedBy && { endedInhibitionBy: current.inhibitedBy }),
    });
  }
  return changes.decision();
}

/**
 * The notice shortly before the maintenance window silencing a firing alert ends: announced (and
 * notified — it is the heads-up) on open or acknowledged alerts that window still suppresses.
 */
export function announceMaintenanceEnding(current: AlertState, windowId: string, endsAt: Date): Decision {
  if (current.suppressedBy !== windowId || (current.status !== 'open' && current.status !== 'acknowledged')) {
    return { state: current, transitions: [], timers: {} };
  }
  const changes = new Changes(current);
  changes.announce('maintenance_ending', {}, { maintenanceWindowId: windowId, endsAt: endsAt.toISOString() });
  // The notice is meant to reach people although the alert is still in maintenance.
  const last = changes.transitions[changes.transitions.length - 1];
  last.notify = true;
  delete last.quietReason;
  return changes.decision();
}

import type { AlertChange, AlertStatus, Severity } from '@vigil/contracts';

/** The part of an alert the lifecycle decides on. */
export interface AlertState {
  status: AlertStatus;
  severity: Severity;
  previousSeverity: Severity | null;
  tally: number;
  firstOccurrence: Date;
  lastOccurrence: Date;
  summary: string;
  /** Number of announced changes so far (the sequence of the latest change message). */
  sequence: number;
  /** Occurrence time of the `cleared` event that resolved it. */
  resolvedAt: Date | null;
  lastEventId: string;
}

export interface Occurrence {
  eventId: string;
  severity: Severity;
  summary: string;
  occurredAt: Date;
}

export interface Decision {
  state: AlertState;
  /** Set when the occurrence changed the alert in a way that is announced. */
  change?: AlertChange;
}

const isActive = (status: AlertStatus) => status === 'open' || status === 'acknowledged';

/** The first occurrence of a fingerprint opens an alert. */
export function openAlert(occurrence: Occurrence): AlertState {
  if (occurrence.severity === 'cleared') throw new Error('a cleared event cannot open an alert');
  return {
    status: 'open',
    severity: occurrence.severity,
    previousSeverity: null,
    tally: 1,
    firstOccurrence: occurrence.occurredAt,
    lastOccurrence: occurrence.occurredAt,
    summary: occurrence.summary,
    sequence: 1,
    resolvedAt: null,
    lastEventId: occurrence.eventId,
  };
}

/**
 * Applies one more occurrence of an alert's fingerprint:
 * - a problem event counts (tally, last occurrence, latest summary); on an active alert a new
 *   severity is announced as `severity_changed`; on a resolved or closed alert it reopens it —
 *   unless it happened before the clear that resolved it (events can arrive out of order);
 * - a `cleared` event resolves an active alert, unless a problem occurred after it. It is not counted
 *   in the tally, which counts the problem's occurrences.
 */
export function applyOccurrence(current: AlertState, occurrence: Occurrence): Decision {
  if (occurrence.severity === 'cleared') {
    if (!isActive(current.status) || occurrence.occurredAt < current.lastOccurrence)
      return { state: current };
    return {
      state: {
        ...current,
        status: 'resolved',
        resolvedAt: occurrence.occurredAt,
        sequence: current.sequence + 1,
        lastEventId: occurrence.eventId,
      },
      change: 'resolved',
    };
  }

  // An occurrence older than the latest one still counts, but does not rewrite the present.
  const latest = occurrence.occurredAt >= current.lastOccurrence;
  const counted: AlertState = {
    ...current,
    tally: current.tally + 1,
    lastOccurrence: latest ? occurrence.occurredAt : current.lastOccurrence,
    summary: latest ? occurrence.summary : current.summary,
    lastEventId: occurrence.eventId,
  };
  const severityMoved = latest && occurrence.severity !== current.severity;
  const withSeverity = severityMoved
    ? { severity: occurrence.severity, previousSeverity: current.severity }
    : { severity: current.severity, previousSeverity: current.previousSeverity };

  if (!isActive(current.status)) {
    if (current.resolvedAt && occurrence.occurredAt < current.resolvedAt) return { state: counted };
    return {
      state: {
        ...counted,
        ...withSeverity,
        status: 'open',
        resolvedAt: null,
        sequence: current.sequence + 1,
      },
      change: 'reopened',
    };
  }
  if (severityMoved) {
    return {
      state: { ...counted, ...withSeverity, sequence: current.sequence + 1 },
      change: 'severity_changed',
    };
  }
  return { state: counted };
}

import {
  ClassifiedEventV1,
  DEFAULT_IMPACT,
  HEARTBEAT_MISSING_TYPE,
  LIMITS,
  SchemaIds,
  Severity,
  uuidV5,
} from '@vigil/contracts';
import { priorityOf } from '@vigil/rules';
import type { HeartbeatRow } from './heartbeats.rows';

/** The source of the alerts the correlator raises itself. */
export const HEARTBEAT_SOURCE = 'vigil';

/** One alert per heartbeat: a miss after a recovery reopens it (or, after the reopen window, a new one). */
export const heartbeatFingerprint = (heartbeatId: string) => `heartbeat:${heartbeatId}`;

/** The namespace of the ids of the events the correlator raises for heartbeats. */
const NAMESPACE = Buffer.from('9d3c1b7a6e5f4d2c8b1a0f9e8d7c6b5a', 'hex');

export function formatInterval(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function describe(row: HeartbeatRow): string {
  return row.matchers.length ? row.matchers.join(', ') : 'any event';
}

function heartbeatEvent(
  row: HeartbeatRow,
  fields: { id: string; severity: Severity; summary: string; occurredAt: Date; receivedAt: Date },
  attributes: Record<string, unknown>,
): ClassifiedEventV1 {
  const impact = DEFAULT_IMPACT;
  return {
    schema: SchemaIds.ClassifiedEventV1,
    id: fields.id,
    source: HEARTBEAT_SOURCE,
    node: row.node ?? row.name,
    type: HEARTBEAT_MISSING_TYPE,
    summary: clip(fields.summary, LIMITS.summaryLength),
    severity: fields.severity,
    occurredAt: fields.occurredAt.toISOString(),
    receivedAt: fields.receivedAt.toISOString(),
    ...(row.service !== null && { service: row.service }),
    labels: { ...row.labels, heartbeat: row.name },
    attributes: { heartbeatId: row.id, ...attributes },
    fingerprint: heartbeatFingerprint(row.id),
    // Made by the correlator, not received: no producer channel fits, and nothing routes on it.
    origin: { via: 'rpc', from: 'correlator' },
    category: 'operational',
    priority: priorityOf(fields.severity, impact),
    impact,
    classifiedAt: new Date().toISOString(),
    classification: { ruleSet: 'heartbeats', matchedRules: [row.id] },
  };
}

/**
 * The problem event of a miss: number `miss` of this heartbeat, for the deadline it missed. Its id
 * is derived from both, so a retried transaction records it once, while a later miss (after a
 * recovery) is a new occurrence that reopens the alert. `timeoutSeconds: 0`: the alert stands until
 * events resume, however long that takes, instead of expiring for want of repeats.
 */
export function missEvent(row: HeartbeatRow, deadline: Date, miss: number): ClassifiedEventV1 {
  const lastSeen = row.lastSeenAt ? row.lastSeenAt.toISOString() : 'never';
  return heartbeatEvent(
    row,
    {
      id: uuidV5(`miss\u0000${row.id}\u0000${miss}\u0000${deadline.toISOString()}`, NAMESPACE),
      severity: row.severity,
      summary: `Heartbeat ${row.name}: no ${describe(row)} for ${formatInterval(row.intervalSeconds)} (last seen ${lastSeen})`,
      occurredAt: deadline,
      receivedAt: deadline,
    },
    {
      deadline: deadline.toISOString(),
      lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
      intervalSeconds: row.intervalSeconds,
      timeoutSeconds: 0,
    },
  );
}

/**
 * The clearing event that ends miss number `miss`: an event arrived (`at` its receipt), or the
 * heartbeat was deleted. It happens no earlier than the miss, so the lifecycle never takes it for a
 * late clear of an older problem.
 */
export function recoveryEvent(
  row: HeartbeatRow,
  miss: number,
  at: Date,
  reason: 'resumed' | 'deleted',
): ClassifiedEventV1 {
  const missedAt = row.missingSince ?? at;
  return heartbeatEvent(
    row,
    {
      id: uuidV5(`recovery\u0000${row.id}\u0000${miss}`, NAMESPACE),
      severity: 'cleared',
      summary:
        reason === 'resumed'
          ? `Heartbeat ${row.name}: ${describe(row)} resumed`
          : `Heartbeat ${row.name} deleted`,
      occurredAt: at > missedAt ? at : missedAt,
      receivedAt: at,
    },
    { reason },
  );
}

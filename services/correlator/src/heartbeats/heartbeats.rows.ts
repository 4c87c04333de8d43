import type { HeartbeatV1 } from '@vigil/contracts';

/**
 * A heartbeat's definition, as the API writes it and shows it: events matching `matchers`
 * (Alertmanager matchers as text, `source="backup"`) are expected at least every `intervalSeconds`,
 * inside `schedule` when given (a recurring window as `parseTimeWindow`, libs/matching, accepts it;
 * null: always expected); `severity`, `node`, `service` and `labels` are of the alert a miss raises.
 */
export type HeartbeatDefinition = Pick<
  HeartbeatV1,
  | 'name'
  | 'matchers'
  | 'intervalSeconds'
  | 'schedule'
  | 'severity'
  | 'node'
  | 'service'
  | 'labels'
  | 'comment'
>;

/**
 * A row of `correlator.heartbeats`: a missed deadline raises a `HeartbeatMissing` alert (fingerprint
 * `heartbeat:<id>`) that the next matching event resolves. The definition is kept as given; the
 * state fields move with events and the poll, so a restart neither loses nor fakes a miss.
 */
export interface HeartbeatRow extends HeartbeatDefinition {
  id: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** Ingest's receipt time of the latest matching event. */
  lastSeenAt: Date | null;
  /** When the next miss is judged; null while missing or when the schedule has ended. */
  deadlineAt: Date | null;
  /** The deadline that was missed; set while missing. */
  missingSince: Date | null;
  /** Misses raised so far: numbers each miss, so its event id is deterministic. */
  misses: number;
  /** The alert the latest miss raised, while missing. */
  alertId: string | null;
}

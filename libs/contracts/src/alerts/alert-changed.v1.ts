import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
  Matches,
} from 'class-validator';
import { PRIORITIES } from '../category';
import type { Category, Priority } from '../category';
import { IsCategory, IsLabelMap, IsPlainObject, IsTimestamp } from '../decorators';
import { UUID_PATTERN } from '../limits';
import { SchemaIds } from '../events/accepted-event.v1';
import type { Labels } from '../events/producer-event.v1';
import { SEVERITIES } from '../severity';
import type { Severity } from '../severity';

/**
 * `open`, `acknowledged` and `snoozed` are active (occurrences keep them alive); `resolved` and
 * `expired` are inactive but may still reopen within the reopen window; `closed` is final, and the
 * next problem with that fingerprint opens a new alert.
 */
export const ALERT_STATUSES = ['open', 'acknowledged', 'snoozed', 'resolved', 'expired', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * The transitions announced on `alerts.changed.<alertId>`, whatever caused them (an event, an
 * operator command or a timer). A repeat occurrence that changes nothing but the tally is not a
 * change: announcing every duplicate would turn a storm into a storm of changes.
 */
export const ALERT_CHANGES = [
  'opened',
  'reopened',
  'resolved',
  'severity_changed',
  'acknowledged',
  'unacknowledged',
  'assigned',
  'snoozed',
  'unsnoozed',
  'expired',
  'closed',
  'note_added',
  'flapping_started',
  'flapping_stopped',
  /** A maintenance window or an inhibition started to cover a firing alert (never notified). */
  'suppressed',
  'inhibited',
  /** What silenced a still-firing alert ended (window over, inhibiting source gone): notified. */
  'released',
  /** The maintenance window silencing a firing alert ends soon (`MAINTENANCE_ENDING_NOTICE_SECONDS`). */
  'maintenance_ending',
] as const;
export type AlertChange = (typeof ALERT_CHANGES)[number];

/** Alerta's trend indication: how the latest severity change moved the alert. */
export const ALERT_TRENDS = ['more_severe', 'less_severe', 'no_change'] as const;
export type AlertTrend = (typeof ALERT_TRENDS)[number];

export class AlertSnapshotV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;

  @IsString()
  @IsNotEmpty()
  fingerprint!: string;

  @IsIn(ALERT_STATUSES)
  status!: AlertStatus;

  @IsIn(SEVERITIES)
  severity!: Severity;

  @IsOptional()
  @IsIn(SEVERITIES)
  previousSeverity?: Severity;

  @IsInt()
  @Min(1)
  tally!: number;

  @IsTimestamp()
  firstOccurrence!: string;

  @IsTimestamp()
  lastOccurrence!: string;

  @IsString()
  summary!: string;

  @IsString()
  node!: string;

  @IsString()
  source!: string;

  @IsString()
  type!: string;

  @IsCategory()
  category!: Category;

  @IsOptional()
  @IsString()
  service?: string;

  @IsOptional()
  @IsString()
  environment?: string;

  @IsLabelMap()
  labels!: Labels;

  /** The latest event's priority; absent on alerts opened before alerts carried it. */
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  /** The team the alert is directed to: the latest event's that names one. */
  @IsOptional()
  @IsString()
  team?: string;

  @IsOptional()
  @IsIn(ALERT_TRENDS)
  trend?: AlertTrend;

  /** Changes of this alert are damped (not notified) while it flaps. */
  @IsOptional()
  @IsBoolean()
  flapping?: boolean;

  @IsOptional()
  @IsString()
  assignee?: string;

  @IsOptional()
  @IsTimestamp()
  snoozedUntil?: string;

  /** The maintenance window silencing the alert (its changes go out with `notify: false`). */
  @IsOptional()
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  suppressedBy?: string;

  /** The alert whose inhibition rule silences this one. */
  @IsOptional()
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  inhibitedBy?: string;
}

/** Why a change carries `notify: false`. */
export const QUIET_REASONS = ['snoozed', 'flapping', 'maintenance', 'inhibited'] as const;
export type QuietReason = (typeof QUIET_REASONS)[number];

/**
 * One alert transition, published exactly once per transition through the correlator's outbox.
 * `sequence` increases by one per announced change of the alert, so consumers can order and
 * de-duplicate per alert.
 */
export class AlertChangedV1 {
  @Equals(SchemaIds.AlertChangedV1)
  schema!: typeof SchemaIds.AlertChangedV1;

  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  alertId!: string;

  @IsInt()
  @Min(1)
  sequence!: number;

  @IsIn(ALERT_CHANGES)
  change!: AlertChange;

  @IsTimestamp()
  changedAt!: string;

  /** The event that caused the change; absent when an operator command or a timer caused it. */
  @IsOptional()
  @IsString()
  causeEventId?: string;

  /**
   * When the cause reached Vigil: the event's receipt at ingest, the command's receipt, or the
   * timer's due time. Lets every later stage measure end-to-end latency.
   */
  @IsTimestamp()
  causeReceivedAt!: string;

  /** Who made the change: `system` (events, timers) or the operator named in the command. */
  @IsOptional()
  @IsString()
  actor?: string;

  /** The operator command that made the change (its idempotency key). */
  @IsOptional()
  @IsString()
  commandId?: string;

  /**
   * Whether the change should reach people: false while the alert is snoozed or flapping (damped).
   * Absent means true (messages written before the field existed).
   */
  @IsOptional()
  @IsBoolean()
  notify?: boolean;

  /** Present with `notify: false`: why the change is not to be notified. */
  @IsOptional()
  @IsIn(QUIET_REASONS)
  quietReason?: QuietReason;

  @IsDefined({ message: '$property is required' })
  @IsPlainObject()
  @ValidateNested()
  @Type(() => AlertSnapshotV1)
  alert!: AlertSnapshotV1;
}

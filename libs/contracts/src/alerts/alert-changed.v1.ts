import { Type } from 'class-transformer';
import {
  Equals,
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
import type { Category } from '../category';
import { IsCategory, IsLabelMap, IsPlainObject, IsTimestamp } from '../decorators';
import { UUID_PATTERN } from '../limits';
import { SchemaIds } from '../events/accepted-event.v1';
import type { Labels } from '../events/producer-event.v1';
import { SEVERITIES } from '../severity';
import type { Severity } from '../severity';

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'closed'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/**
 * The transitions announced on `alerts.changed.<alertId>`. A repeat occurrence that changes nothing
 * but the tally is not a change: announcing every duplicate would turn a storm into a storm of changes.
 */
export const ALERT_CHANGES = ['opened', 'reopened', 'resolved', 'severity_changed'] as const;
export type AlertChange = (typeof ALERT_CHANGES)[number];

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
}

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

  /** The event that caused the change. */
  @IsString()
  causeEventId!: string;

  /** When the causing event was received at ingest: lets every later stage measure end-to-end latency. */
  @IsTimestamp()
  causeReceivedAt!: string;

  @IsDefined({ message: '$property is required' })
  @IsPlainObject()
  @ValidateNested()
  @Type(() => AlertSnapshotV1)
  alert!: AlertSnapshotV1;
}

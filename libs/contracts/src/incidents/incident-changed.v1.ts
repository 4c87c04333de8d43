import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsLabelMap, IsPlainObject, IsTimestamp } from '../decorators';
import { SchemaIds } from '../events/accepted-event.v1';
import type { Labels } from '../events/producer-event.v1';
import { UUID_PATTERN } from '../limits';
import { SEVERITIES } from '../severity';
import type { Severity } from '../severity';

/**
 * An incident is open until acknowledged or resolved; `resolved` is final: a resolved incident never
 * takes new alerts, and the next alert of its group starts a new incident.
 */
export const INCIDENT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** When an incident resolves by itself: see docs/architecture.md (Incidents). */
export const INCIDENT_RESOLVE_POLICIES = ['all', 'first', 'last', 'any'] as const;
export type IncidentResolvePolicy = (typeof INCIDENT_RESOLVE_POLICIES)[number];

/** The changes announced on `incidents.changed.<incidentId>`. */
export const INCIDENT_CHANGES = [
  /** The group reached its threshold: the incident exists, with every alert gathered so far. */
  'opened',
  /** A firing alert of the group joined within the window. */
  'alert_added',
  /** A member alert stopped firing (resolved, expired or closed) without resolving the incident. */
  'alert_resolved',
  /** A member alert fired again while the incident is live. */
  'alert_reopened',
  /** The worst severity among the members moved. */
  'severity_changed',
  'acknowledged',
  'unacknowledged',
  'resolved',
] as const;
export type IncidentChange = (typeof INCIDENT_CHANGES)[number];

export class IncidentSnapshotV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;

  @IsIn(INCIDENT_STATUSES)
  status!: IncidentStatus;

  /** The worst severity among the firing members (kept as it was once none fires). */
  @IsIn(SEVERITIES)
  severity!: Severity;

  /** The rule's name and the group's values (`host cascade: node=db-1`). */
  @IsString()
  title!: string;

  /** The correlation rule that grouped the alerts, its name and the rule set version in force. */
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  ruleId!: string;

  @IsString()
  ruleName!: string;

  @IsInt()
  @Min(1)
  ruleVersion!: number;

  @IsIn(INCIDENT_RESOLVE_POLICIES)
  resolvePolicy!: IncidentResolvePolicy;

  /** The group's identity under the rule (`node=db-1,environment=prod`). */
  @IsString()
  groupKey!: string;

  /** The values the rule grouped by, by field name. */
  @IsLabelMap()
  groupLabels!: Labels;

  @IsInt()
  @Min(1)
  alertCount!: number;

  @IsInt()
  @Min(0)
  firingCount!: number;

  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  firstAlertId!: string;

  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  lastAlertId!: string;

  @IsTimestamp()
  openedAt!: string;

  @IsOptional()
  @IsTimestamp()
  acknowledgedAt?: string;

  @IsOptional()
  @IsString()
  acknowledgedBy?: string;

  @IsOptional()
  @IsTimestamp()
  resolvedAt?: string;
}

/**
 * One incident change, published once through the correlator's outbox. `sequence` increases by one
 * per change of the incident, so consumers can order and de-duplicate per incident.
 */
export class IncidentChangedV1 {
  @Equals(SchemaIds.IncidentChangedV1)
  schema!: typeof SchemaIds.IncidentChangedV1;

  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  incidentId!: string;

  @IsInt()
  @Min(1)
  sequence!: number;

  @IsIn(INCIDENT_CHANGES)
  change!: IncidentChange;

  @IsTimestamp()
  changedAt!: string;

  /** When the cause reached Vigil (the alert change's own cause, or the command's receipt). */
  @IsTimestamp()
  causeReceivedAt!: string;

  /** The member alert the change is about (absent for commands). */
  @IsOptional()
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  alertId?: string;

  /** `system`, or the operator named in the command. */
  @IsOptional()
  @IsString()
  actor?: string;

  @IsOptional()
  @IsString()
  commandId?: string;

  /** Whether people should hear of it: false for changes that only update the record (a member resolving). */
  @IsBoolean()
  notify!: boolean;

  @IsDefined({ message: '$property is required' })
  @IsPlainObject()
  @ValidateNested()
  @Type(() => IncidentSnapshotV1)
  incident!: IncidentSnapshotV1;
}

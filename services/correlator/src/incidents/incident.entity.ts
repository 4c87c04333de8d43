import type { IncidentResolvePolicy, Labels, Severity } from '@vigil/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `pending`: gathering alerts towards the rule's threshold, not announced; then as `IncidentStatus`. */
export type IncidentRowStatus = 'pending' | 'open' | 'acknowledged' | 'resolved';

/**
 * Alerts grouped by a correlation rule. Written by the correlator only (its incidents consumer and
 * incident commands); the query service reads it through a read model of its own.
 */
@Entity({ schema: 'correlator', name: 'incidents' })
export class IncidentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  status!: IncidentRowStatus;

  @Column({ type: 'text' })
  severity!: Severity;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'uuid' })
  ruleId!: string;

  @Column({ type: 'text' })
  ruleName!: string;

  @Column({ type: 'integer' })
  ruleVersion!: number;

  @Column({ type: 'text' })
  resolvePolicy!: IncidentResolvePolicy;

  /** The rule's window and threshold when the incident started: a later rule edit does not move them. */
  @Column({ type: 'integer' })
  windowSeconds!: number;

  @Column({ type: 'integer' })
  threshold!: number;

  @Column({ type: 'text' })
  groupKey!: string;

  @Column({ type: 'jsonb' })
  groupLabels!: Labels;

  @Column({ type: 'integer' })
  alertCount!: number;

  @Column({ type: 'integer' })
  firingCount!: number;

  @Column({ type: 'uuid' })
  firstAlertId!: string;

  @Column({ type: 'uuid' })
  lastAlertId!: string;

  /** When the first member joined (a pending incident's start). */
  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  /** When the latest member joined: the window runs from here. */
  @Column({ type: 'timestamptz' })
  lastJoinedAt!: Date;

  /** Null while pending. */
  @Column({ type: 'timestamptz', nullable: true })
  openedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  acknowledgedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  /** The sequence of the last announced change (0 while pending). */
  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** An alert's membership of an incident, with what the incident knows of it. */
@Entity({ schema: 'correlator', name: 'incident_alerts' })
export class IncidentAlertEntity {
  @PrimaryColumn({ type: 'uuid' })
  incidentId!: string;

  @PrimaryColumn({ type: 'uuid' })
  alertId!: string;

  @Column({ type: 'timestamptz' })
  joinedAt!: Date;

  @Column({ type: 'text' })
  severity!: Severity;

  @Column({ type: 'boolean' })
  firing!: boolean;

  /** The alert change last applied: an older one redelivered is ignored. */
  @Column({ type: 'integer' })
  alertSequence!: number;
}

/** The audit trail of an incident: one row per announced change. */
@Entity({ schema: 'correlator', name: 'incident_history' })
export class IncidentHistoryEntity {
  @PrimaryColumn({ type: 'uuid' })
  incidentId!: string;

  @PrimaryColumn({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  actor!: string;

  /** The change (`IncidentChange`). */
  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  fromStatus!: string | null;

  @Column({ type: 'text' })
  toStatus!: string;

  @Column({ type: 'uuid', nullable: true })
  alertId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  commandId!: string | null;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;
}

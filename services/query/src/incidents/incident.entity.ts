import type { IncidentResolvePolicy, IncidentStatus, Labels, Severity } from '@vigil/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read model of `correlator.incidents`. The correlator owns and writes the table (its migration
 * defines it); the query service never writes it, and never shows a `pending` incident (one still
 * gathering alerts towards its rule's threshold).
 */
@Entity({ schema: 'correlator', name: 'incidents' })
export class IncidentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  status!: IncidentStatus | 'pending';

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

  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz' })
  lastJoinedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  openedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  acknowledgedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

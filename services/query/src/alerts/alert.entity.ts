import type { AlertStatus, AlertTrend, Category, Labels, Priority, Severity } from '@vigil/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read model of `correlator.alerts`: the columns the alert API shows. The correlator owns and writes
 * the table (its migration defines it); the query service never writes it.
 */
@Entity({ schema: 'correlator', name: 'alerts' })
export class AlertEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ type: 'text' })
  status!: AlertStatus;

  @Column({ type: 'text' })
  severity!: Severity;

  @Column({ type: 'text', nullable: true })
  previousSeverity!: Severity | null;

  @Column({ type: 'integer' })
  tally!: number;

  @Column({ type: 'timestamptz' })
  firstOccurrence!: Date;

  @Column({ type: 'timestamptz' })
  lastOccurrence!: Date;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text' })
  node!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  category!: Category;

  @Column({ type: 'text', nullable: true })
  service!: string | null;

  @Column({ type: 'text', nullable: true })
  environment!: string | null;

  @Column({ type: 'jsonb' })
  labels!: Labels;

  @Column({ type: 'text', nullable: true })
  priority!: Priority | null;

  @Column({ type: 'text', nullable: true })
  team!: string | null;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'text' })
  trend!: AlertTrend;

  /** Newest first, at most 20 (the correlator trims it). */
  @Column({ type: 'timestamptz', array: true })
  recentOccurrences!: Date[];

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  snoozedUntil!: Date | null;

  @Column({ type: 'integer' })
  timeoutSeconds!: number;

  @Column({ type: 'boolean' })
  flapping!: boolean;

  @Column({ type: 'uuid', nullable: true })
  suppressedBy!: string | null;

  @Column({ type: 'uuid', nullable: true })
  inhibitedBy!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

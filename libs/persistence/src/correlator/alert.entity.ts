import type { AlertStatus, Category, Labels, Severity } from '@vigil/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One de-duplicated alert per fingerprint. Written by the correlator only. */
@Entity({ schema: 'correlator', name: 'alerts' })
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
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

  @Column({ type: 'text' })
  lastEventId!: string;

  /** Announced changes so far; the `sequence` of the latest `alerts.changed` message. */
  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

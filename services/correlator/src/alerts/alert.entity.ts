import type { AlertStatus, AlertTrend, Category, Labels, Priority, Severity } from '@vigil/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One de-duplicated alert per fingerprint at a time: the fingerprint is unique among alerts that are
 * not closed (a partial unique index), so closed alerts stay as history beside a newer one. Written
 * by the correlator only.
 */
@Entity({ schema: 'correlator', name: 'alerts' })
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
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

  /** The latest event's priority (null on alerts opened before alerts carried it). */
  @Column({ type: 'text', nullable: true })
  priority!: Priority | null;

  /** The team the latest event naming one was directed to; null until an event names one. */
  @Column({ type: 'text', nullable: true })
  team!: string | null;

  @Column({ type: 'text' })
  lastEventId!: string;

  /** Announced changes so far; the `sequence` of the latest `alerts.changed` message. */
  @Column({ type: 'integer' })
  sequence!: number;

  /** Occurrence time of what resolved it (a clear's `occurredAt`; the command's or timer's time). */
  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  /** How the latest severity change moved the alert. */
  @Column({ type: 'text' })
  trend!: AlertTrend;

  /** The latest occurrence times, newest first, at most `RECENT_OCCURRENCES_KEPT`. */
  @Column({ type: 'timestamptz', array: true })
  recentOccurrences!: Date[];

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  snoozedUntil!: Date | null;

  /** The status a snooze returns to when it ends. */
  @Column({ type: 'text', nullable: true })
  statusBeforeSnooze!: 'open' | 'acknowledged' | null;

  /** Without an occurrence for this long an active alert expires; 0: never. */
  @Column({ type: 'integer' })
  timeoutSeconds!: number;

  /** When the status last changed (the correlator's clock): the reopen window starts here. */
  @Column({ type: 'timestamptz' })
  statusChangedAt!: Date;

  /** When the correlator last counted an occurrence (its clock): expiry is measured from here. */
  @Column({ type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ type: 'boolean' })
  flapping!: boolean;

  /** Times of the recent open↔resolved transitions (the correlator's clock), for flap detection. */
  @Column({ type: 'timestamptz', array: true })
  flapTransitions!: Date[];

  /** The maintenance window silencing this alert (its changes are announced with `notify: false`). */
  @Column({ type: 'uuid', nullable: true })
  suppressedBy!: string | null;

  /** The active alert whose inhibition rule silences this one. */
  @Column({ type: 'uuid', nullable: true })
  inhibitedBy!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

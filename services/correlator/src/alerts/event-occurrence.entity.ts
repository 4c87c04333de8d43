import type { ClassifiedEventV1, Severity } from '@vigil/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Every event the correlator processed, in a table partitioned by day on `recorded_at` and dropped
 * by age (OCCURRENCE_RETENTION_DAYS). Written by the correlator only. The event id is unique, but
 * not as a database key (a partitioned table's keys must contain the partition key): the
 * correlator inserts each occurrence together with its `correlator.recorded_events` row, whose
 * primary key is what recognises a redelivered event. TypeORM needs a primary column to map rows.
 */
@Entity({ schema: 'correlator', name: 'event_occurrences' })
export class EventOccurrenceEntity {
  @PrimaryColumn({ type: 'text' })
  eventId!: string;

  /** Null for a `cleared` event that matched no alert: recorded, but nothing to resolve. */
  @Column({ type: 'uuid', nullable: true })
  alertId!: string | null;

  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ type: 'text' })
  severity!: Severity;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ type: 'jsonb' })
  event!: ClassifiedEventV1;

  /** The rule set that classified the event, its version, and the ids of the rules that matched. */
  @Column({ type: 'text', nullable: true })
  ruleSet!: string | null;

  @Column({ type: 'text', nullable: true })
  ruleSetVersion!: string | null;

  @Column({ type: 'text', array: true })
  matchedRules!: string[];
}

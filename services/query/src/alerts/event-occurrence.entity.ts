import type { Severity } from '@vigil/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read model of `correlator.event_occurrences` (partitioned by day), without the stored event. The
 * correlator owns and writes the table (its migrations define it); the query service never writes it.
 * The event id is not a database key there, but TypeORM needs a primary column to map rows.
 */
@Entity({ schema: 'correlator', name: 'event_occurrences' })
export class EventOccurrenceEntity {
  @PrimaryColumn({ type: 'text' })
  eventId!: string;

  @Column({ type: 'uuid', nullable: true })
  alertId!: string | null;

  @Column({ type: 'text' })
  severity!: Severity;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'text', nullable: true })
  ruleSet!: string | null;

  @Column({ type: 'text', nullable: true })
  ruleSetVersion!: string | null;

  @Column({ type: 'text', array: true })
  matchedRules!: string[];
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Severity } from '@vigil/contracts';

/**
 * A heartbeat: events matching `matchers` are expected at least every `intervalSeconds` (inside
 * `schedule`, when given); a missed deadline raises a `HeartbeatMissing` alert (fingerprint
 * `heartbeat:<id>`) that the next matching event resolves. The definition is kept as given; the
 * state columns move with events and the poll, so a restart neither loses nor fakes a miss.
 * Written by the correlator only.
 */
@Entity({ schema: 'correlator', name: 'heartbeats' })
export class HeartbeatEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Alertmanager matchers, as text (`source="backup"`). */
  @Column({ type: 'text', array: true })
  matchers!: string[];

  @Column({ type: 'integer' })
  intervalSeconds!: number;

  /** A recurring window as `parseTimeWindow` (libs/matching) accepts it; null: always expected. */
  @Column({ type: 'jsonb', nullable: true })
  schedule!: Record<string, unknown> | null;

  /** Of the raised alert. */
  @Column({ type: 'text' })
  severity!: Exclude<Severity, 'cleared'>;

  @Column({ type: 'text', nullable: true })
  node!: string | null;

  @Column({ type: 'text', nullable: true })
  service!: string | null;

  @Column({ type: 'jsonb' })
  labels!: Record<string, string>;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: 'text' })
  createdBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  /** Ingest's receipt time of the latest matching event. */
  @Column({ type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;

  /** When the next miss is judged; null while missing or when the schedule has ended. */
  @Column({ type: 'timestamptz', nullable: true })
  deadlineAt!: Date | null;

  /** The deadline that was missed; set while missing. */
  @Column({ type: 'timestamptz', nullable: true })
  missingSince!: Date | null;

  /** Misses raised so far: numbers each miss, so its event id is deterministic. */
  @Column({ type: 'integer' })
  misses!: number;

  /** The alert the latest miss raised, while missing. */
  @Column({ type: 'uuid', nullable: true })
  alertId!: string | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read model of `correlator.incident_history`, an incident's audit trail. The correlator owns and
 * writes the table (its migration defines it); the query service never writes it.
 */
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

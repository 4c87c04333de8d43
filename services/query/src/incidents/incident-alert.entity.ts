import type { Severity } from '@vigil/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read model of `correlator.incident_alerts`, an incident's member alerts. The correlator owns and
 * writes the table (its migration defines it); the query service never writes it.
 */
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
}

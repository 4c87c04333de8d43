import type { AlertStatus } from '@vigil/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read model of `correlator.alert_history`, an alert's audit trail. The correlator owns and writes
 * the table (its migration defines it); the query service never writes it.
 */
@Entity({ schema: 'correlator', name: 'alert_history' })
export class AlertHistoryEntity {
  @PrimaryColumn({ type: 'uuid' })
  alertId!: string;

  @PrimaryColumn({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  fromStatus!: AlertStatus | null;

  @Column({ type: 'text' })
  toStatus!: AlertStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  eventId!: string | null;

  @Column({ type: 'text', nullable: true })
  commandId!: string | null;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;
}

import type { AlertStatus } from '@vigil/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The audit trail of an alert: one row per announced change (event-, command- or timer-driven),
 * written in the transaction that made the change, with the change's sequence. A command's id is
 * unique per alert, which is what makes a repeated command return its first result. Written by the
 * correlator only.
 */
@Entity({ schema: 'correlator', name: 'alert_history' })
export class AlertHistoryEntity {
  @PrimaryColumn({ type: 'uuid' })
  alertId!: string;

  /** The `sequence` of the `alerts.changed` message announcing this change. */
  @PrimaryColumn({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  /** `system`, or the operator who gave the command. */
  @Column({ type: 'text' })
  actor!: string;

  /** The change (`AlertChange`). */
  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text', nullable: true })
  fromStatus!: AlertStatus | null;

  @Column({ type: 'text' })
  toStatus!: AlertStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** The event that caused the change, if an event did. */
  @Column({ type: 'text', nullable: true })
  eventId!: string | null;

  @Column({ type: 'text', nullable: true })
  commandId!: string | null;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;
}

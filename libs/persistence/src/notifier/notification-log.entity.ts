import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One row per notification that should exist, unique on its dedup key (alert, transition sequence,
 * target). Redeliveries, restarts and replicas find the row and send nothing twice. Written by the
 * notifier only.
 */
@Entity({ schema: 'notifier', name: 'notification_log' })
export class NotificationLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text', unique: true })
  dedupKey!: string;

  @Column({ type: 'uuid' })
  alertId!: string;

  @Column({ type: 'integer' })
  alertSequence!: number;

  @Column({ type: 'text' })
  change!: string;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text' })
  target!: string;

  @Column({ type: 'text' })
  status!: NotificationStatus;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  /** While set in the future, one process owns the send; after it, another may take over. */
  @Column({ type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

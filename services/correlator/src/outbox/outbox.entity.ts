import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Messages committed with the state change that caused them, waiting for the relay to publish them.
 * A row is deleted once JetStream has acknowledged it. Written by the correlator only.
 */
@Entity({ schema: 'correlator', name: 'outbox' })
export class OutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** Subject family (a `Subjects` value) and token. */
  @Column({ type: 'text' })
  family!: string;

  @Column({ type: 'text' })
  token!: string;

  @Column({ type: 'text', unique: true })
  msgId!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A maintenance window (silence): alerts matching every matcher while the window is active are
 * recorded and correlated but announced with `notify: false`. `window` is what `parseTimeWindow`
 * (libs/matching) accepts, kept as given. Written by the correlator only.
 */
@Entity({ schema: 'correlator', name: 'maintenance_windows' })
export class MaintenanceWindowEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Alertmanager matchers, as text (`service="db"`). */
  @Column({ type: 'text', array: true })
  matchers!: string[];

  @Column({ type: 'jsonb' })
  window!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: 'text' })
  createdBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** An Alertmanager inhibition rule: an active source alert silences matching targets with equal `equal` fields. */
@Entity({ schema: 'correlator', name: 'inhibit_rules' })
export class InhibitRuleEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  sourceMatchers!: string[];

  @Column({ type: 'text', array: true })
  targetMatchers!: string[];

  @Column({ type: 'text', array: true })
  equal!: string[];

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ type: 'text' })
  createdBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

export const SILENCE_TIMER_KINDS = ['window_change', 'window_ending', 'reconcile'] as const;
export type SilenceTimerKind = (typeof SILENCE_TIMER_KINDS)[number];

/**
 * A pending silencing timer, claimed like alert timers (`FOR UPDATE SKIP LOCKED`): the next start or
 * end of a window (`window_change`), the notice before its end (`window_ending`), or a pass that
 * re-evaluates every firing alert's silences (`reconcile`, subject `all`).
 */
@Entity({ schema: 'correlator', name: 'silence_timers' })
export class SilenceTimerEntity {
  /** The window id, or `all` for `reconcile`. */
  @PrimaryColumn({ type: 'text' })
  subject!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: SilenceTimerKind;

  @Column({ type: 'timestamptz' })
  dueAt!: Date;
}

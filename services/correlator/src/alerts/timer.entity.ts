import { Column, Entity, PrimaryColumn } from 'typeorm';

export const TIMER_KINDS = ['expire', 'unsnooze', 'close', 'flap_check'] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/**
 * A pending lifecycle timer of an alert, at most one per kind: expiry, end of a snooze, end of the
 * reopen window (close) and the flap-stability check. Any correlator replica claims due rows with
 * `FOR UPDATE SKIP LOCKED`, so a timer fires once, and after a restart as if nothing happened.
 * Written by the correlator only.
 */
@Entity({ schema: 'correlator', name: 'timers' })
export class TimerEntity {
  @PrimaryColumn({ type: 'uuid' })
  alertId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: TimerKind;

  @Column({ type: 'timestamptz' })
  dueAt!: Date;
}

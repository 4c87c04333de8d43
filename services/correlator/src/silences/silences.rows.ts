/**
 * A row of `correlator.maintenance_windows` (a silence): alerts matching every matcher while the
 * window is active are recorded and correlated but announced with `notify: false`. `window` is what
 * `parseTimeWindow` (libs/matching) accepts, kept as given.
 */
export interface MaintenanceWindowRow {
  id: string;
  name: string;
  /** Alertmanager matchers, as text (`service="db"`). */
  matchers: string[];
  window: Record<string, unknown>;
  comment: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A row of `correlator.inhibit_rules`, an Alertmanager inhibition rule: an active source alert
 * silences matching targets with equal `equal` fields.
 */
export interface InhibitRuleRow {
  id: string;
  name: string;
  sourceMatchers: string[];
  targetMatchers: string[];
  equal: string[];
  comment: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const SILENCE_TIMER_KINDS = ['window_change', 'window_ending', 'reconcile'] as const;

/**
 * The kind of a pending silencing timer (`correlator.silence_timers`), claimed like alert timers
 * (`FOR UPDATE SKIP LOCKED`): the next start or end of a window (`window_change`, subject the
 * window's id), the notice before its end (`window_ending`), or a pass that re-evaluates every firing
 * alert's silences (`reconcile`, subject `all`).
 */
export type SilenceTimerKind = (typeof SILENCE_TIMER_KINDS)[number];

import type { Sql } from '@vigil/persistence';
import type { AlertLike, LabelSet } from '@vigil/matching';

/**
 * What silences alerts, as one consistent set of definitions (maintenance windows and inhibition
 * rules): a batch, command or timer consults one view from start to end, whatever reloads meanwhile.
 */
export interface SilenceView {
  /** No window and no inhibition rule: there is nothing to consult. */
  readonly empty: boolean;
  /** Some inhibition rule exists: only then can a firing alert silence another. */
  readonly inhibits: boolean;
  /** The maintenance window silencing an alert with these fields at `at`, if any. */
  suppressingWindow(fields: LabelSet, at: Date): string | null;
  /** The alert among `firing` that inhibits `target`, if any. */
  inhibitingAlert(target: AlertLike, firing: readonly AlertLike[]): string | null;
  /** Whether an alert with these fields can inhibit others: when it starts or stops firing, reconcile. */
  isInhibitionSource(fields: LabelSet): boolean;
  /** Whether an alert with these fields can be inhibited: only then are the firing alerts read. */
  isInhibitionTarget(fields: LabelSet): boolean;
}

/**
 * The silences every path that changes alerts consults (implemented by the silences feature).
 * Alerts only apply what it says; keeping silenced alerts right as windows start and end, and as
 * inhibition sources come and go, is the feature's work, which alerts ask for with a reconcile.
 */
export interface AlertSilences {
  /** The definitions in force now. */
  view(): SilenceView;
  /**
   * Asks for a reconcile at `at`, in the caller's transaction: an inhibition source started or
   * stopped firing, or an alert was inhibited on an unlocked read of its source.
   */
  requestReconcile(sql: Sql, at: Date): Promise<void>;
}

/** Injection token of the `AlertSilences` the alerts module consults. */
export const ALERT_SILENCES = Symbol('ALERT_SILENCES');

/** No silences at all (what a plan without silences sees). */
export const NO_SILENCES: SilenceView = {
  empty: true,
  inhibits: false,
  suppressingWindow: () => null,
  inhibitingAlert: () => null,
  isInhibitionSource: () => false,
  isInhibitionTarget: () => false,
};

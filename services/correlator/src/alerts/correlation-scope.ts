import type { Sql } from '@vigil/persistence';
import type { AlertsTransaction } from './alerts.repository';
import type { CorrelationInput, CorrelationOutcome } from './batch-plan';
import type { ChangeSet } from './change-set';

/** The alert reads and locks the paths other than events take (see `AlertsTransaction`). */
export type AlertLocks = Pick<
  AlertsTransaction,
  'lockAlert' | 'commandResult' | 'claimDueTimers' | 'lockSilenceCandidates'
>;

/**
 * One transaction of `CorrelationService.transaction`, through which every path changes alerts:
 * events are correlated in it, and commands, timers and silence passes write their change sets,
 * together with the caller's own statements on `sql`.
 */
export interface CorrelationScope {
  /** The transaction's connection, for the caller's own statements (heartbeat rows, silence timers). */
  readonly sql: Sql;
  readonly alerts: AlertLocks;
  /** Plans and writes these events as one batch in this transaction (lock, de-duplicate, plan, write). */
  correlate(inputs: readonly CorrelationInput[]): Promise<CorrelationOutcome[]>;
  /**
   * Writes the changes a command, timer or silence pass decided (alerts, history, timers, change
   * messages), asking for a reconcile when an inhibition source started or stopped firing; they
   * are counted and announced once the transaction commits.
   */
  write(changes: ChangeSet): Promise<void>;
  /** Runs once the transaction has committed (counters); forgotten if it rolls back. */
  afterCommit(effect: () => void): void;
}

import type { CorrelationInput } from './batch-plan';
import type { CorrelationScope } from './correlation-scope';

/** What an observer does inside a batch's transaction. */
export interface ObservedBatchWrites {
  /** Events the observer adds to the batch (correlated with it, after its own events). */
  events: CorrelationInput[];
  /** The observer's own writes, made once the batch (and `events`) is written. */
  write(): Promise<void>;
}

/** A batch that concerns an observer, as it found it in memory. */
export interface ObservedBatch {
  /**
   * Inside the batch's transaction, before any alert is locked: every path takes the observer's
   * rows before alert rows, so batches and the observer's own passes cannot deadlock. Called again
   * when the transaction is retried.
   */
  advance(scope: CorrelationScope): Promise<ObservedBatchWrites>;
}

/**
 * Watches the batches of classified events (implemented by heartbeats, which move deadlines and
 * end misses as matching events arrive).
 */
export interface BatchObserver {
  /** In memory, before the transaction; undefined when the batch does not concern it (no statement). */
  observe(inputs: readonly CorrelationInput[]): ObservedBatch | undefined;
}

/** Injection token of the `BatchObserver` the correlation service calls for each batch. */
export const BATCH_OBSERVER = Symbol('BATCH_OBSERVER');

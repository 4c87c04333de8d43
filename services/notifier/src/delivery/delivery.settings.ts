import type { BackoffSettings } from './retry-policy';

/** The delivery module's settings, provided by the root wiring from the environment. */
export const DELIVERY_SETTINGS = Symbol('DELIVERY_SETTINGS');

export interface DeliverySettings {
  maxAttempts: number;
  backoff: BackoffSettings;
  pollIntervalMs: number;
  batchSize: number;
  /** Longer than any adapter's timeout: a lease that runs out means the sender died. */
  leaseMs: number;
}

import type { FeedSettings } from './feed-targets';

/** The configuration module's settings, provided by the root wiring from the environment. */
export const NOTIFIER_CONFIG_SETTINGS = Symbol('NOTIFIER_CONFIG_SETTINGS');

export interface NotifierConfigSettings {
  /** How often to compare the stored version with the one held, in case a broadcast was missed. */
  pollIntervalMs: number;
  /** How long a test notification waits for each receiver. */
  testSendTimeoutMs: number;
  /** The transition feed's receivers: configuration too, from the environment rather than the API. */
  feed: FeedSettings;
}

/** The paging module's settings, provided by the root wiring from the environment. */
export const PAGING_SETTINGS = Symbol('PAGING_SETTINGS');

export interface LinkSettings {
  /** Where the notifier's `/actions/<token>` is reachable from people's browsers; no links without it. */
  publicUrl?: string;
  /** The console's base URL, for the "open in console" link. */
  consoleUrl?: string;
  /** Signs with the first, accepts any (rotation). Empty: no action links. */
  secrets: readonly string[];
  ttlMs: number;
}

export interface PagingSettings {
  links: LinkSettings;
  stepPollIntervalMs: number;
  stepBatchSize: number;
}

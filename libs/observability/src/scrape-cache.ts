import { Logger } from '@nestjs/common';

export interface ScrapeCacheOptions {
  /** How long an answer is reused after it arrived; 0 shares only a read still in progress. */
  ttlMs: number;
  /** Longest a read may take before the scrape goes on without it. */
  timeoutMs: number;
  /** Names the value in the one warning logged when reads start failing. */
  description: string;
}

interface Entry<T> {
  value: Promise<T | undefined>;
  settled: boolean;
  at: number;
}

/**
 * A value read from a dependency when Prometheus scrapes (a row count, a remote status). Several
 * Prometheis scraping often must not multiply the reads, and a dependency that hangs must not hold
 * `/metrics` up: concurrent scrapes share one read, its answer is reused for `ttlMs`, and a read
 * that fails or outlasts `timeoutMs` yields `undefined`, which is cached like an answer so an outage
 * is not retried by every scrape. Never rejects, because one rejecting collector fails the whole
 * scrape in prom-client.
 */
export class ScrapeCache<T> {
  private readonly logger = new Logger(ScrapeCache.name);
  private entry?: Entry<T>;
  private failing = false;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly options: ScrapeCacheOptions,
  ) {}

  get(): Promise<T | undefined> {
    const entry = this.entry;
    if (entry && (!entry.settled || Date.now() - entry.at < this.options.ttlMs)) return entry.value;
    const next: Entry<T> = { value: Promise.resolve(undefined), settled: false, at: 0 };
    next.value = this.readWithTimeout().finally(() => {
      next.settled = true;
      next.at = Date.now();
    });
    this.entry = next;
    return next.value;
  }

  private async readWithTimeout(): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      timer.unref();
    });
    try {
      // A read that throws before returning its promise fails the same way as one that rejects.
      const value = await Promise.race([this.read(), timeout]);
      this.failing = false;
      return value;
    } catch (error) {
      // One line per outage, not one per scrape: readiness and its alert say the rest.
      if (!this.failing) {
        this.logger.warn(
          `cannot read ${this.options.description}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      this.failing = true;
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * When to try a failed delivery again: exponential back-off with "equal jitter" (half the delay
 * fixed, half random), so retries after a receiver's outage spread out instead of arriving
 * together, and never sooner than the receiver asked (Retry-After).
 */
export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

export function retryDelayMs(
  attempt: number,
  settings: BackoffSettings,
  retryAfterMs = 0,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(settings.maxMs, settings.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.round(Math.max(jittered, retryAfterMs));
}

/**
 * Token buckets per key: `perMinute` sends a minute, in bursts of up to a tenth of that (at least
 * one). `take` answers 0 when the send may go now, else how long to wait for a token.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  take(key: string, perMinute: number, now = Date.now()): number {
    const capacity = Math.max(1, Math.floor(perMinute / 10));
    const ratePerMs = perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / ratePerMs);
  }
}

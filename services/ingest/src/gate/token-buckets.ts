export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAtMs: number;
}

/**
 * One token bucket per key (an API key, or a source for anonymous producers): `rate` tokens per
 * second refill up to `burst`. A request for n events takes n tokens or none. Buckets that have
 * refilled completely carry no information and are dropped, so memory follows active producers only.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxKeys = 100_000) {}

  take(key: string, count: number, rate: number, burst: number, nowMs: number): TakeResult {
    const bucket = this.refilled(key, rate, burst, nowMs);
    if (count > burst) {
      // Could never succeed: say how long a full bucket takes, and let the caller split the batch.
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(burst / rate)) };
    }
    if (bucket.tokens >= count) {
      bucket.tokens -= count;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((count - bucket.tokens) / rate)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, rate: number, burst: number, nowMs: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.dropFull(rate, burst, nowMs);
      bucket = { tokens: burst, updatedAtMs: nowMs };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsedMs = Math.max(0, nowMs - bucket.updatedAtMs);
    bucket.tokens = Math.min(burst, bucket.tokens + (elapsedMs / 1000) * rate);
    bucket.updatedAtMs = nowMs;
    return bucket;
  }

  private dropFull(rate: number, burst: number, nowMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((nowMs - bucket.updatedAtMs) / 1000) * rate >= burst) this.buckets.delete(key);
    }
    // Every bucket is busy: forget the oldest rather than grow without bound.
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }
  }
}

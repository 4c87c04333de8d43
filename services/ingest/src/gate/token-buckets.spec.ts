import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  it('lets a burst through, then refuses with the seconds until enough tokens return', () => {
    const buckets = new TokenBuckets();
    expect(buckets.take('k', 10, 5, 10, 0)).toEqual({ ok: true });
    expect(buckets.take('k', 1, 5, 10, 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take('k', 10, 5, 10, 0)).toEqual({ ok: false, retryAfterSeconds: 2 });
  });

  it('refills at the rate, never above the burst', () => {
    const buckets = new TokenBuckets();
    buckets.take('k', 10, 5, 10, 0);
    expect(buckets.take('k', 5, 5, 10, 1000)).toEqual({ ok: true });
    expect(buckets.take('k', 1, 5, 10, 1000)).toMatchObject({ ok: false });
    expect(buckets.take('k', 10, 5, 10, 60_000)).toEqual({ ok: true });
    expect(buckets.take('k', 1, 5, 10, 60_000)).toMatchObject({ ok: false });
  });

  it('takes all of a batch or none of it', () => {
    const buckets = new TokenBuckets();
    buckets.take('k', 8, 1, 10, 0);
    expect(buckets.take('k', 3, 1, 10, 0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take('k', 2, 1, 10, 0)).toEqual({ ok: true });
  });

  it('refuses a batch larger than the burst with the time a full bucket takes', () => {
    expect(new TokenBuckets().take('k', 11, 2, 10, 0)).toEqual({ ok: false, retryAfterSeconds: 5 });
  });

  it('keeps keys apart', () => {
    const buckets = new TokenBuckets();
    buckets.take('a', 10, 1, 10, 0);
    expect(buckets.take('b', 10, 1, 10, 0)).toEqual({ ok: true });
  });

  it('forgets idle buckets before it grows past its bound', () => {
    const buckets = new TokenBuckets(2);
    buckets.take('a', 1, 1, 10, 0);
    buckets.take('b', 10, 1, 10, 0);
    buckets.take('c', 1, 1, 10, 5000);
    expect(buckets.size).toBe(2);
    // b was still draining, so it was kept: its debt is remembered.
    expect(buckets.take('b', 10, 1, 10, 5000)).toMatchObject({ ok: false });
  });
});

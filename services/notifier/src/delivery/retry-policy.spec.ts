import { RateLimiter, retryDelayMs } from './retry-policy';

describe('retry delay', () => {
  const settings = { baseMs: 1000, maxMs: 60_000 };

  it('doubles per attempt, jittered within the upper half, up to the cap', () => {
    expect(retryDelayMs(1, settings, 0, () => 0)).toBe(500);
    expect(retryDelayMs(1, settings, 0, () => 1)).toBe(1000);
    expect(retryDelayMs(3, settings, 0, () => 0)).toBe(2000);
    expect(retryDelayMs(3, settings, 0, () => 0.5)).toBe(3000);
    expect(retryDelayMs(20, settings, 0, () => 1)).toBe(60_000);
  });

  it("waits at least as long as the receiver's Retry-After", () => {
    expect(retryDelayMs(1, settings, 30_000, () => 1)).toBe(30_000);
  });
});

describe('rate limiter', () => {
  it('allows a burst of a tenth of the rate, then one send per 60/rate seconds', () => {
    const limiter = new RateLimiter();
    const now = 1_000_000;
    for (let i = 0; i < 6; i++) expect(limiter.take('slack', 60, now)).toBe(0);
    expect(limiter.take('slack', 60, now)).toBe(1000);
    expect(limiter.take('slack', 60, now + 1000)).toBe(0);
    expect(limiter.take('other', 60, now)).toBe(0);
  });

  it('lets a slow channel send one at a time', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('mail', 2, 0)).toBe(0);
    expect(limiter.take('mail', 2, 0)).toBe(30_000);
  });
});

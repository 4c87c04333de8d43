import { Logger } from '@nestjs/common';
import { ScrapeCache } from './scrape-cache';

describe('ScrapeCache', () => {
  let reads: number;
  let answer: () => Promise<number>;

  const cache = (ttlMs: number, timeoutMs = 1000) =>
    new ScrapeCache(
      () => {
        reads++;
        return answer();
      },
      { ttlMs, timeoutMs, description: 'a test value' },
    );

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    reads = 0;
    answer = () => Promise.resolve(reads);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('shares one read among concurrent scrapes and reuses the answer for the cache time', async () => {
    const values = cache(5000);
    await expect(Promise.all([values.get(), values.get(), values.get()])).resolves.toEqual([1, 1, 1]);
    await jest.advanceTimersByTimeAsync(4999);
    await expect(values.get()).resolves.toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(values.get()).resolves.toBe(2);
    expect(reads).toBe(2);
  });

  it('with no cache time, still shares a read in progress but reads again once it answered', async () => {
    let release: (value: number) => void = () => undefined;
    answer = () => new Promise<number>((resolve) => (release = resolve));
    const values = cache(0);
    const first = [values.get(), values.get()];
    release(7);
    await expect(Promise.all(first)).resolves.toEqual([7, 7]);
    expect(reads).toBe(1);
    const second = values.get();
    release(8);
    await expect(second).resolves.toBe(8);
    expect(reads).toBe(2);
  });

  it('answers undefined, never rejects, when the read fails, and does not retry it at every scrape', async () => {
    answer = () => Promise.reject(new Error('connection refused'));
    const values = cache(5000);
    await expect(values.get()).resolves.toBeUndefined();
    await expect(values.get()).resolves.toBeUndefined();
    expect(reads).toBe(1);
    expect(Logger.prototype.warn).toHaveBeenCalledTimes(1);
    answer = () => Promise.resolve(42);
    await jest.advanceTimersByTimeAsync(5000);
    await expect(values.get()).resolves.toBe(42);
  });

  it('treats a synchronous throw like a failed read', async () => {
    answer = () => {
      throw new Error('not connected');
    };
    await expect(cache(0).get()).resolves.toBeUndefined();
  });

  it('gives up on a read that hangs after the timeout', async () => {
    answer = () => new Promise<number>(() => undefined);
    const values = cache(5000, 2000);
    let settled: number | undefined | 'pending' = 'pending';
    void values.get().then((value) => (settled = value));
    await jest.advanceTimersByTimeAsync(1999);
    expect(settled).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(settled).toBeUndefined();
  });
});

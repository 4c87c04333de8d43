import { Batcher } from './batcher';

/** A batcher whose runs finish only when the test says so. */
function harness(size: number, waitMs: number, concurrency: number) {
  const batches: number[][] = [];
  const finish: (() => void)[] = [];
  const batcher = new Batcher<number>(size, waitMs, concurrency, (batch) => {
    batches.push(batch);
    return new Promise<void>((resolve) => finish.push(resolve));
  });
  /** Ends the oldest running batch and lets the batcher react. */
  const end = async () => {
    finish.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
  };
  return { batcher, batches, end };
}

describe('Batcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('starts a full batch at once', () => {
    const { batcher, batches } = harness(3, 50, 2);
    [1, 2, 3, 4].forEach((n) => batcher.add(n));
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('starts a partial batch when its first item has waited long enough', async () => {
    const { batcher, batches, end } = harness(10, 50, 1);
    batcher.add(1);
    jest.advanceTimersByTime(30);
    batcher.add(2);
    expect(batches).toEqual([]);
    jest.advanceTimersByTime(20);
    expect(batches).toEqual([[1, 2]]);
    await end();
    batcher.add(3);
    jest.advanceTimersByTime(49);
    expect(batches).toEqual([[1, 2]]);
    jest.advanceTimersByTime(1);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('lets the next batch grow while every run is busy, then starts it as soon as one is free', async () => {
    const { batcher, batches, end } = harness(100, 5, 1);
    batcher.add(1);
    jest.advanceTimersByTime(5);
    expect(batches).toEqual([[1]]);
    // A slow batch: what arrives meanwhile waits far longer than 5 ms, as one batch, not four.
    for (const n of [2, 3, 4, 5]) {
      batcher.add(n);
      jest.advanceTimersByTime(20);
    }
    expect(batches).toEqual([[1]]);
    await end();
    expect(batches).toEqual([[1], [2, 3, 4, 5]]);
  });

  it('runs up to its concurrency at once and splits a backlog into batches of its size', async () => {
    const { batcher, batches, end } = harness(2, 5, 2);
    [1, 2, 3, 4, 5, 6, 7].forEach((n) => batcher.add(n));
    expect(batcher.active).toBe(2);
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await end();
    expect(batches.slice(2)).toEqual([[5, 6]]);
    await end();
    expect(batches.slice(3)).toEqual([[7]]);
  });

  it('hands back what has not started, once, and forgets its timer', () => {
    const { batcher, batches } = harness(10, 50, 1);
    batcher.add(1);
    batcher.add(2);
    expect(batcher.take()).toEqual([1, 2]);
    expect(batcher.take()).toEqual([]);
    jest.advanceTimersByTime(100);
    expect(batches).toEqual([]);
  });

  it('refuses sizes and concurrencies that could never run anything', () => {
    const run = () => Promise.resolve();
    expect(() => new Batcher(0, 5, 1, run)).toThrow(/batch size/);
    expect(() => new Batcher(1, 5, 0, run)).toThrow(/concurrency/);
  });
});

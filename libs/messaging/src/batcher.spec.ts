import { Batcher } from './batcher';

describe('Batcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('hands over a full batch at once', () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number>(3, 50, (b) => batches.push(b));
    [1, 2, 3, 4].forEach((n) => batcher.add(n));
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('hands over a partial batch when its first item has waited long enough', () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number>(10, 50, (b) => batches.push(b));
    batcher.add(1);
    jest.advanceTimersByTime(30);
    batcher.add(2);
    expect(batches).toEqual([]);
    jest.advanceTimersByTime(20);
    expect(batches).toEqual([[1, 2]]);
    batcher.add(3);
    jest.advanceTimersByTime(49);
    expect(batches).toEqual([[1, 2]]);
    jest.advanceTimersByTime(1);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('drains on demand, and not twice', () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number>(10, 50, (b) => batches.push(b));
    batcher.add(1);
    batcher.drain();
    batcher.drain();
    jest.advanceTimersByTime(100);
    expect(batches).toEqual([[1]]);
  });
});

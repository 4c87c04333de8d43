import { redeliveryDelayMs, Slots } from './retry';

describe('redeliveryDelayMs', () => {
  const schedule = [100, 1000, 5000];

  it('walks the schedule by delivery count and repeats its last step', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 9].map((n) => redeliveryDelayMs(schedule, n, middle))).toEqual([
      100, 1000, 5000, 5000, 5000,
    ]);
  });

  it('spreads retries by ±20 %', () => {
    expect(redeliveryDelayMs(schedule, 2, () => 0)).toBe(800);
    expect(redeliveryDelayMs(schedule, 2, () => 0.999999)).toBe(1200);
  });

  it('has no delay without a schedule', () => {
    expect(redeliveryDelayMs([], 3)).toBe(0);
  });
});

describe('Slots', () => {
  it('admits up to its size, then queues in order', async () => {
    const slots = new Slots(2);
    await slots.acquire();
    await slots.acquire();
    const order: number[] = [];
    const third = slots.acquire().then(() => order.push(3));
    const fourth = slots.acquire().then(() => order.push(4));
    await Promise.resolve();
    expect(order).toEqual([]);
    slots.release();
    await third;
    expect(order).toEqual([3]);
    slots.release();
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(slots.inUse).toBe(2);
    slots.release();
    slots.release();
    expect(slots.inUse).toBe(0);
  });

  it('refuses a size that could never admit anyone', () => {
    expect(() => new Slots(0)).toThrow();
  });
});

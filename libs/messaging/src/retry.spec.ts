import { redeliveryDelayMs } from './retry';

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

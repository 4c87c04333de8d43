import { percentiles, perSecond } from './stats';

describe('percentiles', () => {
  it('uses nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentiles(samples)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100, count: 100 });
  });

  it('does not depend on input order and handles one sample', () => {
    expect(percentiles([3, 1, 2]).p50).toBe(2);
    expect(percentiles([7])).toEqual({ p50: 7, p95: 7, p99: 7, max: 7, count: 1 });
  });

  it('reports nothing for no samples', () => {
    expect(percentiles([]).count).toBe(0);
    expect(Number.isNaN(percentiles([]).p99)).toBe(true);
  });
});

describe('perSecond', () => {
  it('rounds a rate', () => {
    expect(perSecond(5000, 2000)).toBe(2500);
    expect(perSecond(1, 0)).toBe(0);
  });
});

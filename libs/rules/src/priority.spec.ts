import { IMPACTS, PRIORITIES, SEVERITIES } from '@vigil/contracts';
import { priorityOf } from './priority';

describe('priorityOf', () => {
  it('is P1 only for critical events of high impact', () => {
    const p1 = SEVERITIES.flatMap((s) => IMPACTS.map((i) => [s, i] as const)).filter(
      ([s, i]) => priorityOf(s, i) === 'P1',
    );
    expect(p1).toEqual([['critical', 'high']]);
  });

  it('never ranks a less severe or less impactful event above a worse one', () => {
    const rank = (p: string) => PRIORITIES.indexOf(p as (typeof PRIORITIES)[number]);
    for (let s = 1; s < SEVERITIES.length; s++) {
      for (const impact of IMPACTS) {
        expect(rank(priorityOf(SEVERITIES[s], impact))).toBeGreaterThanOrEqual(
          rank(priorityOf(SEVERITIES[s - 1], impact)),
        );
      }
    }
    for (const severity of SEVERITIES) {
      expect(rank(priorityOf(severity, 'low'))).toBeGreaterThanOrEqual(rank(priorityOf(severity, 'medium')));
      expect(rank(priorityOf(severity, 'medium'))).toBeGreaterThanOrEqual(rank(priorityOf(severity, 'high')));
    }
  });

  it('takes medium impact when none is known', () => {
    expect(priorityOf('major')).toBe('P3');
    expect(priorityOf('cleared', 'high')).toBe('P5');
  });
});

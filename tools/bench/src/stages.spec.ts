import { PathStamps, stageLatencies, stageRows } from './stages';

describe('stageLatencies', () => {
  const event = (start: number, gaps: number[]): PathStamps => {
    const [ingest, classify, correlate, page, escalate, deliver] = gaps;
    const received = start + ingest;
    const classified = received + classify;
    const recorded = classified + correlate;
    const paged = recorded + page;
    const escalated = paged + escalate;
    return {
      published: start,
      received,
      classified,
      recorded,
      paged,
      escalated,
      notified: escalated + deliver,
    };
  };

  it('measures each stage from its own two stamps, and the total from publish to receipt', () => {
    const stages = stageLatencies([event(1000, [2, 3, 5, 7, 11, 13]), event(5000, [4, 6, 10, 14, 22, 26])]);
    const byName = Object.fromEntries(stages.map((s) => [s.stage, s.latency]));
    expect(byName.ingest).toMatchObject({ p50: 2, max: 4, count: 2 });
    expect(byName.classify).toMatchObject({ p50: 3, max: 6 });
    expect(byName.correlate).toMatchObject({ p50: 5, max: 10 });
    expect(byName['relay and page']).toMatchObject({ p50: 7, max: 14 });
    expect(byName.escalate).toMatchObject({ p50: 11, max: 22 });
    expect(byName.deliver).toMatchObject({ p50: 13, max: 26 });
    expect(byName.total).toMatchObject({ p50: 41, max: 82 });
  });

  it('keeps the stages in path order and renders one row each', () => {
    const stages = stageLatencies([event(0, [1, 1, 1, 1, 1, 1])]);
    expect(stages.map((s) => s.stage)).toEqual([
      'ingest',
      'classify',
      'correlate',
      'relay and page',
      'escalate',
      'deliver',
      'total',
    ]);
    const rows = stageRows(stages);
    expect(rows).toHaveLength(2 + 7);
    expect(rows[2]).toMatch(/^\| ingest \| 1 \/ 1 \/ 1 \/ 1 \| producer → ingest/);
  });
});

import { chartRows, stageChartSpec } from './chart';
import type { PagingResult } from './paging';
import { stageLatencies } from './stages';

describe('the paging chart', () => {
  const stamps = {
    published: 0,
    received: 1,
    classified: 3,
    recorded: 10,
    paged: 20,
    escalated: 20,
    notified: 30,
  };
  const result = { producer: 'nats', stages: stageLatencies([stamps]) } as unknown as PagingResult;
  const alertmanager = {
    latency: { p50: 2, p95: 4, p99: 9, max: 15, count: 1 },
  } as Parameters<typeof chartRows>[1];

  it('has a bar per path, stage and percentile, and Alertmanager’s total', () => {
    const rows = chartRows([result], alertmanager);
    expect(rows.filter((r) => r.path.startsWith('Vigil'))).toHaveLength(7 * 3);
    expect(rows.find((r) => r.stage === 'correlate' && r.percentile === 'p99')).toMatchObject({ ms: 7 });
    expect(rows.filter((r) => r.path.startsWith('Alertmanager')).map((r) => r.ms)).toEqual([2, 4, 9]);
  });

  it('keeps the stages in path order', () => {
    const spec = stageChartSpec(chartRows([result]), 'title') as {
      spec: { encoding: { y: { sort: string[] } } };
    };
    expect(spec.spec.encoding.y.sort).toEqual([
      'ingest',
      'classify',
      'correlate',
      'relay and page',
      'escalate',
      'deliver',
      'total',
    ]);
  });
});

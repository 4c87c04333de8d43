import type { AlertmanagerResult } from './alertmanager';
import type { PagingProducer, PagingResult } from './paging';

const PATHS: Record<PagingProducer, string> = {
  nats: 'Vigil, published over NATS',
  alertmanager: 'Vigil, Alertmanager webhooks over HTTP',
};
const ALERTMANAGER_PATH = 'Alertmanager (POST /api/v2/alerts)';
const PERCENTILES = ['p50', 'p95', 'p99'] as const;

/** One bar of the chart: a percentile of one stage of one path, in milliseconds. */
export interface ChartRow {
  path: string;
  stage: string;
  percentile: (typeof PERCENTILES)[number];
  ms: number;
}

export function chartRows(paging: readonly PagingResult[], alertmanager?: AlertmanagerResult): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const result of paging)
    for (const { stage, latency } of result.stages)
      for (const percentile of PERCENTILES)
        if (Number.isFinite(latency[percentile]))
          rows.push({ path: PATHS[result.producer], stage, percentile, ms: latency[percentile] });
  if (alertmanager)
    for (const percentile of PERCENTILES)
      rows.push({
        path: ALERTMANAGER_PATH,
        stage: 'total',
        percentile,
        ms: alertmanager.latency[percentile],
      });
  return rows;
}

/**
 * A Vega-Lite chart of the paging phases: for each path (Vigil over NATS, Vigil over HTTP,
 * Alertmanager), the p50 / p95 / p99 of each stage, stages in path order.
 */
export function stageChartSpec(rows: readonly ChartRow[], title: string): Record<string, unknown> {
  const stages = [...new Set(rows.map((row) => row.stage))];
  const paths = [...new Set(rows.map((row) => row.path))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    data: { values: rows },
    facet: {
      row: {
        field: 'path',
        type: 'nominal',
        sort: paths,
        title: null,
        header: { labelAngle: 0, labelAlign: 'left' },
      },
    },
    spec: {
      width: 520,
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'stage', type: 'nominal', sort: stages, title: null },
        yOffset: { field: 'percentile', sort: [...PERCENTILES] },
        x: { field: 'ms', type: 'quantitative', title: 'milliseconds' },
        color: { field: 'percentile', type: 'nominal', sort: [...PERCENTILES], title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** Renders a Vega-Lite spec to SVG, headless (no canvas needed for SVG). */
export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  // Both packages are ES modules only; this CommonJS build loads them with import().
  const vegaLite = await import('vega-lite');
  const vega = await import('vega');
  // The spec is plain data built above; Vega-Lite validates it when compiling.
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  return new vega.View(vega.parse(compiled), { renderer: 'none' }).toSVG();
}

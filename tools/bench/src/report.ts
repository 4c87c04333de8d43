import type { AlertmanagerResult } from './alertmanager';
import type { IncidentsResult } from './incidents';
import type { IngestPathResult } from './ingest-paths';
import type { PagingProducer, PagingResult } from './paging';
import type { AlertStormResult } from './alert-storm';
import { stageRows } from './stages';
import type { ProfileSummary } from './profile';
import type { Percentiles } from './stats';
import type { StormResult } from './storm';
import type { WorkloadMix } from './workload';

/** What the throughput phase measured. */
export interface ThroughputResult {
  eventsPerSecond: number;
  events: number;
  committed: number;
  alerts: number;
  elapsedMs: number;
  cpuMsPerEvent: Record<string, number>;
  machineCpuPercent: number;
  meanBatchSize: Record<string, number>;
  /** Per committed event: Postgres commits, WAL bytes and rows written. */
  postgres: { commitsPerEvent: number; walBytesPerEvent: number; rowsPerEvent: number };
}

/** The classifier's rules engine alone, one core. */
export interface RulesEngineResult {
  rules: number;
  eventsPerSecond: number;
}

export function rulesEngineReport(r: RulesEngineResult): string {
  return `| rules engine, ${r.rules} rules, one core | **${n(r.eventsPerSecond)} events/s** | ≥ 50,000 |\n`;
}

export interface BenchResult {
  machine: { cores: number; memoryGb: number; cpu: string };
  transport: 'nats' | 'http';
  mix: WorkloadMix;
  pipeline_events_per_s: number;
  raw_jetstream_publish_per_s: number;
  raw_pg_upsert_rows_per_s: number;
  ratio: number;
  throughput: ThroughputResult;
  storm_three_correlators: StormResult;
  incidents: IncidentsResult;
  paging: PagingResult[];
  alert_storm: AlertStormResult;
  /** The same new alerts sent to Alertmanager; absent when it is not installed. */
  alertmanager?: AlertmanagerResult;
  latency_rate_per_s: number;
  latency_events: number;
  alert_latency_ms: Percentiles;
  notify_latency_ms: Percentiles;
  rss_mb: Record<string, number>;
  /** Of each service's resident memory, the file-backed part (node and its libraries), at the end. */
  shared_mb?: Record<string, number>;
  ingest_paths: IngestPathResult[];
  rules_engine: RulesEngineResult;
  profile?: Record<string, ProfileSummary | undefined>;
}

const n = (value: number) => value.toLocaleString('en-US');
const PRODUCERS: Record<PagingProducer, string> = {
  nats: 'publish over NATS',
  alertmanager: 'Alertmanager webhook over HTTP',
};
const ms = (p: Percentiles) => `${p.p50} / ${p.p95} / ${p.p99} / ${p.max}`;

const ratio = (vigil: number, alertmanager: number) =>
  alertmanager > 0 ? `${Math.round((vigil / alertmanager) * 10) / 10}×` : '–';

/** Vigil beside Alertmanager on the same stream of new alerts, sent the way each takes them. */
function alertmanagerComparison(r: BenchResult): string[] {
  const am = r.alertmanager;
  const vigil = r.paging.find((p) => p.producer === 'alertmanager');
  if (!am || !vigil)
    return ['Alertmanager side by side: skipped (prometheus-alertmanager is not installed).', ''];
  const cpu = Object.values(vigil.cpuMsPerAlert).reduce((a, b) => a + b, 0);
  const row = (measure: string, a: number, v: number, unit: string) =>
    `| ${measure} | ${n(a)} ${unit} | ${n(v)} ${unit} | ${ratio(v, a)} |`;
  return [
    `Side by side, ${n(am.ratePerSecond)} new alerts/s for the same span, each its own group, received by the same sink ` +
      `(Alertmanager ${am.version}: \`POST /api/v2/alerts\` → webhook; Vigil: Alertmanager webhook over HTTP → page):`,
    '',
    '| measure | Alertmanager | Vigil | Vigil ÷ Alertmanager |',
    '| --- | --- | --- | --- |',
    row('p50', am.latency.p50, vigil.latency.p50, 'ms'),
    row('p95', am.latency.p95, vigil.latency.p95, 'ms'),
    row('p99', am.latency.p99, vigil.latency.p99, 'ms'),
    row('max', am.latency.max, vigil.latency.max, 'ms'),
    `| notified | ${n(am.latency.count)} of ${n(am.sent)} | ${n(vigil.latency.count)} of ${n(vigil.sent)} | |`,
    row('CPU per alert, all processes', am.cpuMsPerAlert, Math.round(cpu * 1000) / 1000, 'ms'),
    `| ${n(am.flatOut.alerts)} alerts flat out (${n(am.flatOut.distinct)} distinct, the rest repeats): Alertmanager holds, ` +
      `Vigil commits (throughput phase, same workload) | ${n(am.flatOut.alertsPerSecond)}/s | ` +
      `${n(r.pipeline_events_per_s)}/s | ${ratio(r.pipeline_events_per_s, am.flatOut.alertsPerSecond)} |`,
    row(
      'peak resident memory',
      am.peakRssMb,
      Object.values(r.rss_mb).reduce((a, b) => a + b, 0),
      'MB',
    ),
    '',
  ];
}

/** The benchmark's human-readable result: one markdown table, then the CPU breakdown. */
export function markdownReport(r: BenchResult): string {
  const lines = [
    `## Vigil benchmark, ${new Date().toISOString().slice(0, 10)}`,
    '',
    `${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGb} GB; events over ${r.transport}; ` +
      `${Math.round(r.mix.uniqueRatio * 100)} % new fingerprints, ${Math.round(r.mix.clearRatio * 100)} % clears, ` +
      `${Math.round(r.mix.severityChangeRatio * 100)} % severity changes.`,
    '',
    '| measure | result | target |',
    '| --- | --- | --- |',
    `| raw JetStream publish, one Node publisher, PubAck + Nats-Msg-Id | ${n(r.raw_jetstream_publish_per_s)} msg/s | |`,
    `| raw PostgreSQL batched upsert (unnest × 200, 4 connections) | ${n(r.raw_pg_upsert_rows_per_s)} rows/s | |`,
    `| pipeline, publish → alert committed (${n(r.throughput.committed)} events → ${n(r.throughput.alerts)} alerts) | ` +
      `**${n(r.pipeline_events_per_s)} events/s** | ≥ 5,000 |`,
    `| pipeline ÷ raw JetStream publish | ${r.ratio} | ≥ 0.5 (stretch) |`,
    `| storm: ${n(r.storm_three_correlators.events)} events on ${n(r.storm_three_correlators.fingerprints)} fingerprints, ` +
      `three correlators → alerts committed (${n(r.storm_three_correlators.alerts)} alerts; per process ` +
      `${r.storm_three_correlators.perProcess.map(n).join(' / ')}) | **${n(r.storm_three_correlators.eventsPerSecond)} events/s** | |`,
    `| incidents: ${n(r.incidents.alerts)} new alerts in ${n(r.incidents.groups)} groups → grouped ` +
      `(${n(r.incidents.grouped)} alerts in ${n(r.incidents.incidents)} incidents) | **${n(r.incidents.alertsPerSecond)} alerts/s** | |`,
    `| publish → alert committed at ${n(r.latency_rate_per_s)}/s, p50 / p95 / p99 / max | ${ms(r.alert_latency_ms)} ms | p99 ≤ 250 ms |`,
    `| publish → webhook received (${n(r.notify_latency_ms.count)} webhooks), p50 / p95 / p99 / max | ` +
      `${ms(r.notify_latency_ms)} ms | p99 ≤ 500 ms |`,
    ...r.paging.map(
      (p) =>
        `| ${PRODUCERS[p.producer]} → page notification received (${n(p.latency.count)} of ${n(p.sent)} new alerts at ` +
        `${n(p.ratePerSecond)}/s over ${p.channels} webhook channels), p50 / p95 / p99 / max | ` +
        `${ms(p.latency)} ms | |`,
    ),
    rulesEngineReport(r.rules_engine).trimEnd(),
    ...Object.entries(r.rss_mb).map(
      ([service, mb]) =>
        `| peak resident memory, ${service} | ${mb} MB` +
        `${r.shared_mb ? ` (${r.shared_mb[service]} MB of it node and its libraries, shared)` : ''} | ≤ 200 MB |`,
    ),
    ...(r.shared_mb
      ? [`| peak resident memory, five services, shared pages once | ${sharedOnce(r)} MB | |`]
      : []),
    '',
    `CPU per event in the throughput phase (ms; the machine was ${r.throughput.machineCpuPercent} % busy):`,
    '',
    `| ${Object.keys(r.throughput.cpuMsPerEvent).join(' | ')} |`,
    `| ${Object.keys(r.throughput.cpuMsPerEvent)
      .map(() => '---')
      .join(' | ')} |`,
    `| ${Object.values(r.throughput.cpuMsPerEvent).join(' | ')} |`,
    '',
    `Mean messages per handler call, whole run: ${Object.entries(r.throughput.meanBatchSize)
      .map(([consumer, size]) => `${consumer} ${size}`)
      .join(', ')}.`,
    '',
    `PostgreSQL per event: ${r.throughput.postgres.commitsPerEvent} commits, ` +
      `${r.throughput.postgres.rowsPerEvent} rows written, ${n(r.throughput.postgres.walBytesPerEvent)} bytes of WAL.`,
    '',
    ...alertmanagerComparison(r),
    ...pagingLines(r.paging),
    ...alertStormLines(r.alert_storm),
    'Other producer paths, each alone, measured at ingest (stored in JetStream) while the pipeline runs:',
    '',
    '| path | sent | accepted | lost | events/s |',
    '| --- | --- | --- | --- | --- |',
    ...r.ingest_paths.map(
      (p) =>
        `| ${p.path} | ${n(p.sent)} | ${n(p.accepted)} | ${n(p.sent - p.accepted)} | **${n(p.eventsPerSecond)}** |`,
    ),
    '',
  ];
  lines.push(...profileLines(r.profile));
  return `${lines.join('\n')}\n`;
}

/** Each paging phase's stages, CPU and PostgreSQL work per paged alert. */
export function pagingLines(paging: readonly PagingResult[]): string[] {
  return paging.flatMap((p) => [
    `Where the time goes, ${PRODUCERS[p.producer]} → page at ${n(p.ratePerSecond)} new alerts/s ` +
      `(${n(p.latency.count)} pages of ${n(p.sent)}; ${n(p.refused)} sends refused); each stage's own distribution:`,
    '',
    ...stageRows(p.stages),
    '',
    ...costLines('paged alert', p.cpuMsPerAlert, p.writesPerAlert, p.postgres),
  ]);
}

/** Where each profiled service spent its CPU; nothing when the run was not profiled. */
export function profileLines(profile: Record<string, ProfileSummary | undefined> | undefined): string[] {
  if (!profile) return [];
  const lines = ['Where each service spends its CPU (self time by origin, from --cpu-prof):', ''];
  for (const [service, summary] of Object.entries(profile)) {
    if (!summary) continue;
    const origins = summary.byOrigin.map((o) => `${o.origin} ${o.percent} %`).join(', ');
    lines.push(`- **${service}** (${n(summary.busyMs)} ms busy): ${origins}`);
    lines.push(
      `  - top functions: ${summary.topFunctions.map((f) => `${f.name} ${f.percent} %`).join('; ')}`,
    );
  }
  lines.push('');
  return lines;
}

/** The storm of distinct new alerts: when they were committed, grouped onto pages, and paged. */
export function alertStormLines(s: AlertStormResult): string[] {
  return [
    `Storm of new alerts: ${n(s.alerts)} distinct alerts published at once over NATS, in ${n(s.groups)} clusters, ` +
      `grouped by cluster onto pages (from the first publish):`,
    '',
    '| measure | result | goal |',
    '| --- | --- | --- |',
    `| all published | ${n(s.publishedMs)} ms | |`,
    `| all committed | ${n(s.committedMs)} ms | |`,
    `| all on their page (${n(s.pages)} pages) | **${n(s.pagedMs)} ms** | ≤ 3,000 ms |`,
    `| every page received (${n(s.notifications)} notifications) | ${n(s.notifiedMs)} ms | |`,
    `| new alerts per second taken to their pages | **${n(s.alertsPerSecond)}/s** | ≥ 2,000/s |`,
    '',
    `Consumers during the storm: ${Object.entries(s.consumers)
      .map(
        ([c, w]) => `${c} ${n(w.batches)} batches of ${w.meanBatch}, ${w.handlerMsPerMessage} ms per message`,
      )
      .join('; ')}.`,
    '',
    ...costLines('alert', s.cpuMsPerAlert, s.writesPerAlert, s.postgres),
  ];
}

/** CPU of each process and PostgreSQL's work, per `unit`. */
function costLines(
  unit: string,
  cpuMs: Record<string, number>,
  writes: Record<string, number> | undefined,
  pg: PagingResult['postgres'],
): string[] {
  const cpu = Object.entries(cpuMs).map(([process, ms]) => `${process} ${ms}`);
  const calls = Object.entries(writes ?? {}).map(([process, count]) => `${process} ${count}`);
  const tables = pg.rowsByTable.map(([table, rows]) => `${table} ${rows}`);
  return [
    `CPU per ${unit} (ms): ${cpu.join(', ')}.`,
    '',
    ...(calls.length ? [`Write system calls per ${unit}: ${calls.join(', ')}.`, ''] : []),
    `PostgreSQL per ${unit}: ${pg.commits} commits, ${n(pg.walBytes)} bytes of WAL, ` +
      `${pg.rows} rows written (${tables.join(', ')}); ` +
      `${n(pg.seqRowsRead)} rows read by sequential scans.`,
    '',
  ];
}

/** The services' peak resident memory summed with the pages they share (node itself) counted once. */
function sharedOnce(r: Pick<BenchResult, 'rss_mb' | 'shared_mb'>): string {
  const shared = Object.values(r.shared_mb ?? {});
  const own = Object.entries(r.rss_mb).map(([service, mb]) => mb - (r.shared_mb?.[service] ?? 0));
  return n(own.reduce((a, b) => a + b, 0) + Math.max(0, ...shared));
}

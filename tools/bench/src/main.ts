import 'reflect-metadata';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Command } from 'commander';
import { SERVICE_NAMES } from '@vigil/config';
import { workspaceRoot } from '@vigil/launcher';
import { benchmarkRuleSet } from './rules-engine';
import { HttpSink, startTestPlatform, TestPlatform } from '@vigil/testing';
import { Pool } from 'pg';
import { httpBatchIngest, IngestPathResult, syslogTcpIngest, syslogUdpIngest } from './ingest-paths';
import { httpSender, natsSender, PublishTimes, sendAtRate, sendFlatOut, Sender } from './load';
import { postgresActivity } from './postgres-activity';
import { cpuSnapshot, machineCpu, peakRssMb, perItem, residentFileMb } from './processes';
import { ProfileSummary, summariseProfiles } from './profile';
import { jetStreamPublishCeiling, postgresUpsertCeiling } from './raw-ceilings';
import {
  BenchResult,
  alertStormLines,
  markdownReport,
  pagingLines,
  profileLines,
  RulesEngineResult,
  rulesEngineReport,
  ThroughputResult,
} from './report';
import { Percentiles, percentiles, perSecond } from './stats';
import { committedBy, stormPhase } from './storm';
import { incidentsPhase } from './incidents';
import { AlertmanagerResult, alertmanagerPhase } from './alertmanager';
import { chartRows, renderSvg, stageChartSpec } from './chart';
import { pagingPhase, PagingResult } from './paging';
import { alertStormPhase, AlertStormResult } from './alert-storm';
import { consumerSnapshot, consumerWork } from './consumers';
import { DEFAULT_MIX, Workload, WorkloadMix } from './workload';

interface Options {
  quick: boolean;
  rulesOnly: boolean;
  pagingOnly: boolean;
  json: boolean;
  http: boolean;
  profile: boolean;
  events?: number;
  rate: number;
  duration?: number;
  uniqueRatio: number;
  clearRatio: number;
  severityChangeRatio: number;
  chart: string;
}

/** New alerts per second of the paging phases (Alertmanager's and Vigil's). */
const PAGING_RATE = 200;
/**
 * Unmeasured paging before each measured phase (quick runs and --paging-only): a service in
 * production is warm, and after only a second at the rate 40 % of a service's CPU still went to
 * V8 compiling its code and marking its heap on worker threads.
 */
const PAGING_WARMUP_QUICK_MS = 5000;
/** The storm of new alerts: distinct alerts at once, and the clusters (routing groups) they fall in. */
const STORM_ALERTS = 5000;
const STORM_GROUPS = 10;

const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Occurrences committed so far, from the correlator's own counter: polling the database instead
 * would put a growing scan on the very database being measured.
 */
const occurrenceCount = (platform: TestPlatform) => committedBy(platform.url('correlator'));

/** Waits until `expected` more occurrences than `before` are committed (phases run one at a time). */
async function waitForOccurrences(
  platform: TestPlatform,
  before: number,
  expected: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const committed = (await occurrenceCount(platform)) - before;
    if (committed >= expected || Date.now() > deadline) return committed;
    await sleep(200);
  }
}

/** Publish → committed latency of each event of a run, from its occurrence's commit-time stamp. */
async function commitLatencies(pool: Pool, runId: string, times: PublishTimes): Promise<number[]> {
  const { rows } = await pool.query<{ producer_id: string; recorded: number }>(
    `SELECT event->>'producerId' AS producer_id, extract(epoch FROM recorded_at) * 1000 AS recorded
       FROM correlator.event_occurrences WHERE event->>'producerId' LIKE $1`,
    [`${runId}-%`],
  );
  return rows.flatMap((row) => {
    const published = times.get(row.producer_id);
    return published === undefined ? [] : [Number(row.recorded) - published];
  });
}

interface Notification {
  cause: { eventId: string };
}

/** Publish → webhook received, for every notification caused by an event of the run. */
async function notifyLatencies(
  pool: Pool,
  platform: TestPlatform,
  runId: string,
  times: PublishTimes,
): Promise<number[]> {
  const received = platform.sink.requests.map((r) => ({
    at: r.receivedAt,
    cause: r.json<Notification>().cause.eventId,
  }));
  const { rows } = await pool.query<{ event_id: string; producer_id: string }>(
    `SELECT event_id, event->>'producerId' AS producer_id FROM correlator.event_occurrences
      WHERE event_id = ANY($1::text[]) AND event->>'producerId' LIKE $2`,
    [received.map((r) => r.cause), `${runId}-%`],
  );
  const producerIds = new Map(rows.map((r) => [r.event_id, r.producer_id]));
  return received.flatMap(({ at, cause }) => {
    const published = times.get(producerIds.get(cause) ?? '');
    return published === undefined ? [] : [at - published];
  });
}

async function latencyPhase(
  platform: TestPlatform,
  pool: Pool,
  sender: Sender,
  mix: WorkloadMix,
  rate: number,
  durationMs: number,
  warmupMs: number,
): Promise<{ alert: Percentiles; notify: Percentiles; sent: number }> {
  // Warm up first (JIT, prepared statements, connection pools), at the same rate, unmeasured.
  log(`latency: warming up for ${warmupMs / 1000} s`);
  const warmupBefore = await occurrenceCount(platform);
  const warmupSent = await sendAtRate(
    sender,
    new Workload('warmup', 'warmup', mix, 3),
    rate,
    warmupMs,
    new Map(),
  );
  await waitForOccurrences(platform, warmupBefore, warmupSent, 60_000);

  const runId = `steady${Date.now().toString(36)}`;
  const times: PublishTimes = new Map();
  platform.sink.requests.length = 0;
  const before = await occurrenceCount(platform);
  log(`latency: ${rate} events/s for ${durationMs / 1000} s`);
  const sent = await sendAtRate(sender, new Workload(runId, 'steady', mix, 7), rate, durationMs, times);
  const committed = await waitForOccurrences(platform, before, sent, 60_000);
  if (committed < sent) log(`latency: only ${committed} of ${sent} events committed`);
  // Let the last notifications arrive before reading the sink.
  let last = -1;
  while (platform.sink.requests.length !== last) {
    last = platform.sink.requests.length;
    await sleep(1000);
  }
  return {
    alert: percentiles(await commitLatencies(pool, runId, times)),
    notify: percentiles(await notifyLatencies(pool, platform, runId, times)),
    sent,
  };
}

/** Mean messages per handler call of each consumer over the whole run, from the services' own metrics. */
async function meanBatchSizes(platform: TestPlatform): Promise<Record<string, number>> {
  const work = consumerWork({}, await consumerSnapshot(platform));
  return Object.fromEntries(Object.entries(work).map(([consumer, w]) => [consumer, w.meanBatch]));
}

async function throughputPhase(
  platform: TestPlatform,
  pool: Pool,
  sender: Sender,
  mix: WorkloadMix,
  events: number,
  window: number,
): Promise<ThroughputResult> {
  const runId = `storm${Date.now().toString(36)}`;
  const times: PublishTimes = new Map();
  const workload = new Workload(runId, 'storm', mix, 11);
  const pids = Object.fromEntries(SERVICE_NAMES.map((name) => [name, platform.services[name].pid]));
  const cpuBefore = cpuSnapshot(pids);
  const machineBefore = machineCpu();
  const pgBefore = await postgresActivity(pool);
  const before = await occurrenceCount(platform);

  log(`throughput: ${events} events, flat out (${window} in flight)`);
  const started = Date.now();
  await sendFlatOut(sender, workload, events, times, window);
  log(`throughput: all published after ${Date.now() - started} ms; waiting for the commits`);
  const committed = await waitForOccurrences(platform, before, events, 600_000);
  const { rows } = await pool.query<{ last: number }>(
    `SELECT extract(epoch FROM max(recorded_at)) * 1000 AS last FROM correlator.event_occurrences
      WHERE event->>'producerId' LIKE $1`,
    [`${runId}-%`],
  );
  const elapsedMs = Number(rows[0].last) - started;
  const machineAfter = machineCpu();
  // Statistics reach pg_stat views with a delay of up to a second.
  await sleep(1000);
  const pgAfter = await postgresActivity(pool);
  const per = (value: number) => Math.round((value / committed) * 100) / 100;
  const cpuMsPerEvent = perItem(cpuBefore, cpuSnapshot(pids), committed);
  const { rows: alertRows } = await pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM correlator.alerts WHERE source = 'storm'",
  );
  return {
    eventsPerSecond: perSecond(committed, elapsedMs),
    events,
    committed,
    alerts: alertRows[0].n,
    elapsedMs,
    cpuMsPerEvent,
    meanBatchSize: await meanBatchSizes(platform),
    postgres: {
      commitsPerEvent: per(pgAfter.commits - pgBefore.commits),
      walBytesPerEvent: Math.round(per(pgAfter.walBytes - pgBefore.walBytes)),
      rowsPerEvent: per(pgAfter.rowsWritten - pgBefore.rowsWritten),
    },
    machineCpuPercent: Math.round(
      ((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100,
    ),
  };
}

/**
 * Each other producer path on its own, measured at ingest (accepted into JetStream) while the rest
 * of the pipeline processes what it accepted: what a producer on that path can push.
 */
async function ingestPathsPhase(
  platform: TestPlatform,
  mix: WorkloadMix,
  quick: boolean,
): Promise<IngestPathResult[]> {
  const ingest = platform.url('ingest');
  const runId = `paths${Date.now().toString(36)}`;
  const scale = quick ? 1 : 4;
  log('ingest paths: HTTP batch');
  const batch = await httpBatchIngest(ingest, new Workload(runId, 'batch', mix, 13), 10_000 * scale, 100, 4);
  log('ingest paths: syslog over TCP');
  const tcp = await syslogTcpIngest(
    ingest,
    '127.0.0.1',
    platform.syslogPort,
    new Workload(runId, 'tcp', mix, 17),
    10_000 * scale,
  );
  log('ingest paths: syslog over UDP');
  const udp = await syslogUdpIngest(
    ingest,
    '127.0.0.1',
    platform.syslogPort,
    new Workload(runId, 'udp', mix, 19),
    5_000 * scale,
    2_000,
  );
  return [batch, tcp, udp];
}

/** The classifier's rules engine alone, on this thread: 200 rules, before the platform starts. */
function rulesEnginePhase(quick: boolean): RulesEngineResult {
  log('rules engine: 200 rules on one core');
  const result = benchmarkRuleSet(200, quick ? 100_000 : 500_000);
  return { rules: result.rules, eventsPerSecond: result.eventsPerSecond };
}

/** The five services on a private database and subject prefix, CPU-profiled into `profileDir` if given. */
function startBenchPlatform(profileDir: string | undefined): Promise<TestPlatform> {
  log('starting the platform: five services, a private database and subject prefix');
  return startTestPlatform({
    env: {
      ...Object.fromEntries(SERVICE_NAMES.map((name) => [name, { LOG_LEVEL: 'error' }])),
      // The bench is one anonymous producer sending far above any sensible per-producer quota.
      ingest: { LOG_LEVEL: 'error', INGEST_RATE_PER_SECOND: '0' },
    },
    nodeArgs: profileDir
      ? Object.fromEntries(
          SERVICE_NAMES.map((name) => [name, ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`]]),
        )
      : {},
  });
}

function profiles(profileDir: string): Record<string, ProfileSummary | undefined> {
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, summariseProfiles(join(profileDir, name))]));
}

interface VigilPaging {
  paging: PagingResult[];
  storm: AlertStormResult;
}

/** Vigil's paging phases, over NATS and as Alertmanager webhooks, then the storm of new alerts. */
async function vigilPaging(
  platform: TestPlatform,
  pool: Pool,
  sink: HttpSink,
  pagingMs: number,
  warmupMs: number,
): Promise<VigilPaging> {
  const paging: PagingResult[] = [];
  for (const producer of ['nats', 'alertmanager'] as const) {
    paging.push(await pagingPhase(platform, pool, sink, producer, PAGING_RATE, pagingMs, warmupMs, log));
  }
  const storm = await alertStormPhase(platform, pool, sink, STORM_ALERTS, STORM_GROUPS, log);
  return { paging, storm };
}

/**
 * Only the paging phases, without Alertmanager: the quick loop for work on the path of a new
 * alert (under a minute), profiled with `--profile` over nothing but that path.
 */
async function pagingOnly(options: Options, profileDir: string): Promise<void> {
  const platform = await startBenchPlatform(options.profile ? profileDir : undefined);
  const pool = new Pool({ connectionString: platform.database.url, max: 2 });
  const pageSink = await new HttpSink().start();
  let phases: VigilPaging;
  try {
    phases = await vigilPaging(platform, pool, pageSink, 3000, PAGING_WARMUP_QUICK_MS);
  } finally {
    await pageSink.stop();
    await pool.end();
    log('stopping the platform');
    await platform.stop();
  }
  const profile = options.profile ? profiles(profileDir) : undefined;
  process.stdout.write(
    `${[...pagingLines(phases.paging), ...alertStormLines(phases.storm), ...profileLines(profile)].join('\n')}\n`,
  );
  if (options.json)
    process.stdout.write(
      `${JSON.stringify({ paging: phases.paging, alert_storm: phases.storm, profile })}\n`,
    );
}

async function run(options: Options): Promise<void> {
  const rulesEngine = rulesEnginePhase(options.quick);
  if (options.rulesOnly) {
    process.stdout.write(rulesEngineReport(rulesEngine));
    if (options.json) process.stdout.write(`${JSON.stringify({ rules_engine: rulesEngine })}\n`);
    return;
  }
  const profileDir = join(workspaceRoot(), 'reports', 'profile');
  if (options.profile) rmSync(profileDir, { recursive: true, force: true });
  if (options.pagingOnly) return pagingOnly(options, profileDir);
  const mix: WorkloadMix = {
    ...DEFAULT_MIX,
    uniqueRatio: options.uniqueRatio,
    clearRatio: options.clearRatio,
    severityChangeRatio: options.severityChangeRatio,
  };
  const events = options.events ?? (options.quick ? 20_000 : 100_000);
  const latencyMs = (options.duration ?? (options.quick ? 10 : 45)) * 1000;

  const platform = await startBenchPlatform(options.profile ? profileDir : undefined);
  const pool = new Pool({ connectionString: platform.database.url, max: 2 });
  let result: BenchResult;
  try {
    log('raw ceilings: JetStream publish, PostgreSQL batched upsert');
    const rawJetStream = await jetStreamPublishCeiling(
      platform.nats.client,
      options.quick ? 20_000 : 100_000,
    );
    const rawUpsert = await postgresUpsertCeiling(platform.database.url, options.quick ? 50_000 : 200_000);

    const sender = options.http ? httpSender(platform.url('ingest')) : natsSender(platform.nats.client);
    const latency = await latencyPhase(
      platform,
      pool,
      sender,
      mix,
      options.rate,
      latencyMs,
      options.quick ? 3000 : 10_000,
    );
    const throughput = await throughputPhase(platform, pool, sender, mix, events, options.http ? 64 : 512);
    const stormEvents = 20_000;
    log(`storm: ${stormEvents} events on 200 fingerprints over three correlators`);
    const storm = await stormPhase(platform, pool, stormEvents, 200, 512);
    const incidentAlerts = options.quick ? 2_000 : 10_000;
    log(`incidents: ${incidentAlerts} new alerts in 20 groups of one correlation rule`);
    const incidents = await incidentsPhase(platform, pool, incidentAlerts, 20, 256);
    // One sink for Alertmanager's webhooks and Vigil's pages: both are measured at the same receiver.
    const pageSink = await new HttpSink().start();
    const pagingMs = options.quick ? 3000 : 10_000;
    const pagingWarmupMs = options.quick ? PAGING_WARMUP_QUICK_MS : 10_000;
    let alertmanager: AlertmanagerResult | undefined;
    let phases: VigilPaging;
    try {
      alertmanager = await alertmanagerPhase(pageSink, PAGING_RATE, pagingMs, pagingWarmupMs, events, log);
      phases = await vigilPaging(platform, pool, pageSink, pagingMs, pagingWarmupMs);
    } finally {
      await pageSink.stop();
    }
    const ingestPaths = await ingestPathsPhase(platform, mix, options.quick);

    const rss = Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, peakRssMb(platform.services[name].pid) ?? -1]),
    );
    const sharedMb = Object.fromEntries(
      SERVICE_NAMES.map((name) => [name, residentFileMb(platform.services[name].pid) ?? 0]),
    );
    result = {
      machine: {
        cores: cpus().length,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        cpu: cpus()[0]?.model ?? '?',
      },
      transport: options.http ? 'http' : 'nats',
      mix,
      pipeline_events_per_s: throughput.eventsPerSecond,
      raw_jetstream_publish_per_s: rawJetStream,
      raw_pg_upsert_rows_per_s: rawUpsert,
      ratio: Math.round((throughput.eventsPerSecond / rawJetStream) * 1000) / 1000,
      throughput,
      storm_three_correlators: storm,
      incidents,
      paging: phases.paging,
      alert_storm: phases.storm,
      alertmanager,
      latency_rate_per_s: options.rate,
      latency_events: latency.sent,
      alert_latency_ms: latency.alert,
      notify_latency_ms: latency.notify,
      rss_mb: rss,
      shared_mb: sharedMb,
      ingest_paths: ingestPaths,
      rules_engine: rulesEngine,
    };
  } finally {
    await pool.end();
    log('stopping the platform');
    await platform.stop();
  }
  if (options.profile) result.profile = profiles(profileDir);
  const chart = stageChartSpec(
    chartRows(result.paging, result.alertmanager),
    `Publish → page at ${PAGING_RATE} new alerts/s, each stage's latency (${new Date().toISOString().slice(0, 10)})`,
  );
  mkdirSync(dirname(options.chart), { recursive: true });
  writeFileSync(options.chart, await renderSvg(chart));
  log(`the paging phases' chart: ${options.chart}`);
  process.stdout.write(markdownReport(result));
  if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
}

const program = new Command('bench')
  .description("Measures the pipeline's throughput and latency beside its raw ceilings, on this machine.")
  .option('--quick', 'a short run (about a minute)', false)
  .option('--rules-only', "only the rules engine's micro-benchmark (seconds, no platform)", false)
  .option('--paging-only', 'only the paging phases of Vigil (under a minute)', false)
  .option('--json', 'end with one line of JSON', false)
  .option('--http', 'send over the ingest HTTP API instead of NATS', false)
  .option('--profile', 'CPU-profile the services and report where their time goes', false)
  .option(
    '--chart <file>',
    "where to write the paging phases' stage chart (SVG)",
    'reports/bench-paging-stages.svg',
  )
  .option('--events <n>', 'events in the throughput phase (default 100000, quick 20000)', Number)
  .option('--rate <n>', 'events per second in the latency phase', Number, 1000)
  .option('--duration <s>', 'seconds of the latency phase (default 45, quick 10)', Number)
  .option('--unique-ratio <r>', 'share of events with a new fingerprint', Number, DEFAULT_MIX.uniqueRatio)
  .option('--clear-ratio <r>', 'share of events that clear', Number, DEFAULT_MIX.clearRatio)
  .option(
    '--severity-change-ratio <r>',
    'share of repeats with another severity than usual',
    Number,
    DEFAULT_MIX.severityChangeRatio,
  );

Logger.overrideLogger(['error']);
program.parse(process.argv);
mkdirSync(join(workspaceRoot(), 'reports'), { recursive: true });
run(program.opts<Options>()).catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});

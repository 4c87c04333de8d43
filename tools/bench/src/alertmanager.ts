import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@vigil/launcher';
import type { HttpSink } from '@vigil/testing';
import { atRate } from './load';
import { cpuMs, peakRssMb } from './processes';
import { Percentiles, percentiles, perSecond } from './stats';
import { DEFAULT_MIX, Workload } from './workload';

/** Where Debian's `prometheus-alertmanager` package puts the binary. */
export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';

/** What Alertmanager did with the same stream of new alerts the paging phase sends Vigil. */
export interface AlertmanagerResult {
  version: string;
  ratePerSecond: number;
  sent: number;
  /** POST /api/v2/alerts → the webhook received at the sink. */
  latency: Percentiles;
  cpuMsPerAlert: number;
  peakRssMb: number;
  refused: number;
  /** The throughput phase's workload (same mix and seed), in Prometheus's batches, flat out. */
  flatOut: { alerts: number; distinct: number; elapsedMs: number; alertsPerSecond: number };
}

/** Prometheus sends Alertmanager up to 64 alerts per request (its notifier's batch). */
const FLAT_OUT_BATCH = 64;
/** Requests in flight in the flat-out run, as a few Prometheus servers would have. */
const FLAT_OUT_IN_FLIGHT = 4;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The labels of the phase's `index`-th new alert, the same for Alertmanager and for Vigil's
 * Alertmanager-webhook producer: a distinct instance (so a distinct group and page), a shard label
 * spreading Vigil's pages over its channels.
 */
export function benchAlertLabels(node: string, shard: number): Record<string, string> {
  return {
    alertname: 'ServiceDown',
    instance: `${node}:9100`,
    severity: 'critical',
    shard: String(shard),
    env: 'bench',
  };
}

/** Every alert its own group, sent at once: the configuration Alertmanager pages fastest with. */
function configuration(webhookUrl: string): string {
  return [
    'route:',
    '  receiver: sink',
    "  group_by: ['...']",
    '  group_wait: 0s',
    '  group_interval: 5m',
    '  repeat_interval: 4h',
    'receivers:',
    '  - name: sink',
    '    webhook_configs:',
    `      - url: ${webhookUrl}`,
    '        send_resolved: false',
    '',
  ].join('\n');
}

async function waitUntilReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`alertmanager not ready after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * Alertmanager, started here from Debian's package with one webhook receiver (the bench's sink),
 * takes `ratePerSecond` new alerts for `durationMs` after a warm-up, one `POST /api/v2/alerts` per
 * alert, as Prometheus sends them. Latency = the sink receiving the alert's webhook − the POST.
 * Undefined (with a line in the log) when the package is not installed.
 */
export async function alertmanagerPhase(
  sink: HttpSink,
  ratePerSecond: number,
  durationMs: number,
  warmupMs: number,
  flatOutAlerts: number,
  log: (message: string) => void,
): Promise<AlertmanagerResult | undefined> {
  if (!existsSync(ALERTMANAGER_BINARY)) {
    log(
      `alertmanager: skipped, ${ALERTMANAGER_BINARY} is not installed (Debian package prometheus-alertmanager)`,
    );
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), configuration(`${sink.url}/alertmanager`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // A single instance: no gossip, so nothing waits for peers to settle.
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    await waitUntilReady(url, child, 15_000);
    const status = (await (await fetch(`${url}/api/v2/status`)).json()) as {
      versionInfo?: { version?: string };
    };
    let refused = 0;
    const post = (node: string, shard: number) =>
      fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          {
            labels: benchAlertLabels(node, shard),
            annotations: { summary: `service on ${node} is down` },
            startsAt: new Date().toISOString(),
          },
        ]),
      }).then(
        async (response) => {
          await response.arrayBuffer();
          if (!response.ok) refused++;
        },
        () => refused++,
      );
    const received = () =>
      sink.requests
        .filter((r) => r.path === '/alertmanager')
        .flatMap((r) =>
          r
            .json<{ alerts: { labels: Record<string, string> }[] }>()
            .alerts.map((alert) => ({ at: r.receivedAt, instance: alert.labels.instance })),
        );
    const run = (source: string, ms: number, times: Map<string, number>) =>
      atRate(ratePerSecond, ms, (index) => {
        const node = `${source}-${index}.bench.example`;
        times.set(`${node}:9100`, Date.now());
        return post(node, index % 4);
      });
    const settle = async (expected: number) => {
      const deadline = Date.now() + 30_000;
      while (received().length < expected && Date.now() < deadline) await sleep(100);
    };

    log(`alertmanager: warming up for ${warmupMs / 1000} s`);
    await settle(await run(`amwarm${Date.now().toString(36)}`, warmupMs, new Map()));
    sink.requests.length = 0;
    refused = 0;

    log(
      `alertmanager ${status.versionInfo?.version ?? '?'}: ${ratePerSecond} new alerts/s for ${durationMs / 1000} s`,
    );
    const times = new Map<string, number>();
    const cpuBefore = cpuMs(child.pid);
    const sent = await run(`am${Date.now().toString(36)}`, durationMs, times);
    await settle(sent);
    const latencies = received().flatMap(({ at, instance }) => {
      const posted = times.get(instance);
      return posted === undefined ? [] : [at - posted];
    });
    if (latencies.length < sent) log(`alertmanager: only ${latencies.length} of ${sent} alerts notified`);
    const latencyCpuMs = cpuMs(child.pid) - cpuBefore;

    // The same storm the throughput phase sends Vigil: 13 % new fingerprints, the rest repeats and
    // clears (resolved alerts), each event one alert, held once Alertmanager has answered its POST.
    log(
      `alertmanager: ${flatOutAlerts} alerts flat out, ${FLAT_OUT_BATCH} per request, ${FLAT_OUT_IN_FLIGHT} in flight`,
    );
    const workload = new Workload(`amstorm${Date.now().toString(36)}`, 'storm', DEFAULT_MIX, 11);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: FLAT_OUT_IN_FLIGHT }, async () => {
        while (next < flatOutAlerts) {
          const count = Math.min(FLAT_OUT_BATCH, flatOutAlerts - next);
          next += count;
          const now = new Date().toISOString();
          const alerts = Array.from({ length: count }, () => {
            const event = workload.next();
            return {
              labels: { alertname: event.type, instance: event.node, ...event.labels },
              annotations: { summary: event.summary },
              startsAt: now,
              ...(event.severity === 'cleared' ? { endsAt: now } : {}),
            };
          });
          const response = await fetch(`${url}/api/v2/alerts`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(alerts),
          });
          await response.arrayBuffer();
          if (!response.ok) refused += count;
        }
      }),
    );
    const elapsedMs = Date.now() - started;
    return {
      version: status.versionInfo?.version ?? '?',
      ratePerSecond,
      sent,
      latency: percentiles(latencies),
      cpuMsPerAlert: Math.round((latencyCpuMs / Math.max(1, latencies.length)) * 1000) / 1000,
      peakRssMb: peakRssMb(child.pid) ?? -1,
      refused,
      flatOut: {
        alerts: flatOutAlerts,
        distinct: workload.distinctFingerprints,
        elapsedMs,
        alertsPerSecond: perSecond(flatOutAlerts, elapsedMs),
      },
    };
  } catch (error) {
    log(`alertmanager: failed (${String(error)}); its last output: ${stderr.trim() || '(none)'}`);
    return undefined;
  } finally {
    child.kill('SIGTERM');
    await new Promise<void>((resolve) =>
      child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

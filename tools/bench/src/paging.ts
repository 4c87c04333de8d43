import { SERVICE_NAMES } from '@vigil/config';
import { NotifierObjectKind, ROUTING_TREE_ID, RpcSubjects, Subjects } from '@vigil/contracts';
import { HttpSink, TestPlatform } from '@vigil/testing';
import type { Pool } from 'pg';
import { benchAlertLabels } from './alertmanager';
import { atRate } from './load';
import { postgresActivity, postgresPer } from './postgres-activity';
import { cpuSnapshot, perItem, writeSnapshot } from './processes';
import { PathStamps, StageLatency, stageLatencies } from './stages';
import { Percentiles, percentiles } from './stats';

/**
 * How the phase's producer sends each new alert: published to `events.raw` over NATS, or POSTed
 * to ingest as an Alertmanager webhook notification of one alert (what Alertmanager sends when
 * every alert is its own group), one HTTP request per alert.
 */
export type PagingProducer = 'nats' | 'alertmanager';

/** What the paging phase measured. */
export interface PagingResult {
  producer: PagingProducer;
  ratePerSecond: number;
  sent: number;
  /** Webhook channels the pages were spread over (each well under its rate limit). */
  channels: number;
  /** Publish → the page's `triggered` webhook received at the sink. */
  latency: Percentiles;
  /** The same path split at each part that stamps the event (`stages.ts`). */
  stages: StageLatency[];
  /** CPU milliseconds per paged alert of each process over the measured run and its settling. */
  cpuMsPerAlert: Record<string, number>;
  /** Write system calls per paged alert of each process, as `cpuMsPerAlert`. */
  writesPerAlert: Record<string, number>;
  /** Requests or publishes the producer saw refused (each a lost page). */
  refused: number;
  /** What Postgres did per paged alert over the measured run and its settling. */
  postgres: ReturnType<typeof postgresPer>;
}

/** Sends a webhook channel takes per minute at most (NOTIFIER_OBJECT_LIMITS.maxPerMinute). */
const CHANNEL_MAX_PER_MINUTE = 6000;
/** Each channel gets half of its rate limit at most, so the figure is latency, not throttling. */
const CHANNEL_SHARE_PER_SECOND = CHANNEL_MAX_PER_MINUTE / 60 / 2;
export const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';

/** Saves one notifier object (channel, policy, routing tree) as an operator would. */
export async function putNotifierObject(
  platform: TestPlatform,
  kind: NotifierObjectKind,
  id: string,
  body: Record<string, unknown>,
): Promise<void> {
  const { connection, space } = platform.nats.client;
  const reply = await connection.request(
    space.exact(RpcSubjects.NotifierObjectPut),
    JSON.stringify({ actor: 'bench', kind, id, body }),
    { timeout: 10_000 },
  );
  const answer = reply.json<{ ok: boolean }>();
  if (!answer.ok) throw new Error(`saving ${kind} "${id}" failed: ${reply.string()}`);
}

/**
 * One catch-all route muted for good, so the phases after a paging one page nobody; `policy` is
 * any existing policy (the tree must name one).
 */
export async function parkRoutingTree(
  platform: TestPlatform,
  policy: string,
  log: (message: string) => void,
): Promise<void> {
  await putNotifierObject(platform, 'routing_tree', ROUTING_TREE_ID, {
    policy,
    routes: [{ name: 'parked', matchers: ['kind=~".*"'], muteTimeIntervals: ['always'] }],
    timeIntervals: { always: [{ start: '2000-01-01T00:00:00Z', end: '2999-01-01T00:00:00Z' }] },
  }).catch((error: unknown) => log(`parking the routing tree failed: ${String(error)}`));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface PageWebhook {
  kind: string;
  subject: { node?: string };
}

/** The producer's send of one new alert; resolves once ingest has stored it. */
type Send = (source: string, event: { node: string; shard: number; id: string }) => Promise<void>;

function natsProducer(platform: TestPlatform): Send {
  const { js, space } = platform.nats.client;
  return async (source, { node, shard, id }) => {
    const event = {
      id,
      source,
      node,
      type: 'ServiceDown',
      summary: `service on ${node} is down`,
      severity: 'critical',
      labels: { shard: String(shard), env: 'bench' },
    };
    await js.publish(space.subject(Subjects.EventsRaw, source), JSON.stringify(event), { msgID: id });
  };
}

function alertmanagerProducer(platform: TestPlatform): Send {
  const ingest = platform.url('ingest');
  return async (source, { node, shard }) => {
    const labels = benchAlertLabels(node, shard);
    const notification = {
      version: '4',
      status: 'firing',
      receiver: 'vigil',
      groupKey: `{}:{instance="${labels.instance}"}`,
      groupLabels: { instance: labels.instance },
      commonLabels: labels,
      commonAnnotations: {},
      externalURL: 'http://alertmanager.bench.example',
      alerts: [
        {
          status: 'firing',
          labels,
          annotations: { summary: `service on ${node} is down` },
          startsAt: new Date().toISOString(),
          endsAt: '0001-01-01T00:00:00Z',
        },
      ],
    };
    const response = await fetch(`${ingest}/api/v1/alertmanager?source=${encodeURIComponent(source)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(notification),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`ingest answered ${response.status}`);
  };
}

/**
 * When each alert of a run passed each stamped point of the path, by node: the occurrence carries
 * ingest's and the classifier's stamps and the correlator's insert time; its alert's page and the
 * page's first escalation step carry the notifier's.
 */
async function pathStamps(
  pool: Pool,
  source: string,
): Promise<Map<string, Omit<PathStamps, 'published' | 'notified'>>> {
  const epochMs = (expression: string) => `extract(epoch FROM ${expression}) * 1000`;
  const { rows } = await pool.query<{
    node: string;
    received: string;
    classified: string;
    recorded: string;
    paged: string | null;
    escalated: string | null;
  }>(
    `SELECT o.event->>'node' AS node,
            ${epochMs("(o.event->>'receivedAt')::timestamptz")} AS received,
            ${epochMs("(o.event->>'classifiedAt')::timestamptz")} AS classified,
            ${epochMs('o.recorded_at')} AS recorded,
            ${epochMs('p.created_at')} AS paged,
            ${epochMs('s.done_at')} AS escalated
       FROM correlator.event_occurrences o
       JOIN notifier.page_members m ON m.subject_kind = 'alert' AND m.subject_id = o.alert_id
       JOIN notifier.pages p ON p.id = m.page_id
       LEFT JOIN notifier.escalation_steps s
         ON s.page_id = p.id AND s.episode = p.episode AND s.kind = 'notify'
        AND s.round = 0 AND s.level = 0 AND s.seq = 0 AND s.status = 'done'
      WHERE o.event->>'source' = $1`,
    [source],
  );
  return new Map(
    rows.flatMap((row) =>
      row.paged === null || row.escalated === null
        ? []
        : [
            [
              row.node,
              {
                received: Number(row.received),
                classified: Number(row.classified),
                recorded: Number(row.recorded),
                paged: Number(row.paged),
                escalated: Number(row.escalated),
              },
            ],
          ],
    ),
  );
}

/**
 * Publish → page notification: every event a new alert, routed (by a `shard` label) to one of a
 * few escalation policies whose first level is a webhook channel pointing at the bench's
 * sink; groupWait 0s, so each alert pages at once. Latency = the sink receiving the page's
 * `triggered` webhook − the event's publish. It covers ingest's stream, the classifier, the
 * correlator and its outbox, paging (page, member and step rows), the escalation poller and the
 * delivery poller. Afterwards the tree is parked: one catch-all route muted for good, so later
 * phases page nobody.
 */
export async function pagingPhase(
  platform: TestPlatform,
  pool: Pool,
  sink: HttpSink,
  producer: PagingProducer,
  ratePerSecond: number,
  durationMs: number,
  warmupMs: number,
  log: (message: string) => void,
): Promise<PagingResult> {
  const send = producer === 'nats' ? natsProducer(platform) : alertmanagerProducer(platform);
  let refused = 0;
  const put = (kind: NotifierObjectKind, id: string, body: Record<string, unknown>) =>
    putNotifierObject(platform, kind, id, body);

  const shards = Math.max(1, Math.ceil(ratePerSecond / CHANNEL_SHARE_PER_SECOND));
  try {
    for (let shard = 0; shard < shards; shard++) {
      const id = `bench-page-${shard}`;
      await put('channel', id, {
        type: 'webhook',
        config: { url: `${sink.url}/page/${shard}`, secret: WEBHOOK_SECRET },
        rateLimit: { perMinute: CHANNEL_MAX_PER_MINUTE },
      });
      await put('escalation_policy', id, {
        name: `bench ${shard}`,
        levels: [{ delay: '1h', targets: [{ type: 'channel', id }] }],
      });
    }
    await put('routing_tree', ROUTING_TREE_ID, {
      policy: 'bench-page-0',
      groupWait: '0s',
      routes: Array.from({ length: shards }, (_, shard) => ({
        name: `bench-page-${shard}`,
        matchers: [`shard="${shard}"`],
        policy: `bench-page-${shard}`,
      })),
    });

    const run = (source: string, ms: number, times: Map<string, number>) =>
      atRate(ratePerSecond, ms, (index) => {
        const node = `${source}-${index}.bench.example`;
        times.set(node, Date.now());
        return send(source, { node, shard: index % shards, id: `${source}-${index}` }).catch(() => refused++);
      });
    const triggered = () =>
      sink.requests
        .filter((r) => r.path.startsWith('/page/'))
        .map((r) => ({ at: r.receivedAt, body: r.json<PageWebhook>() }))
        .filter((r) => r.body.kind === 'triggered');
    const settle = async (expected: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (triggered().length < expected && Date.now() < deadline) await sleep(200);
    };

    // Warm up first (JIT, prepared statements, the notifier's pools), at the same rate, unmeasured.
    log(`paging: warming up for ${warmupMs / 1000} s`);
    const warmup = await run(`pagewarm${Date.now().toString(36)}`, warmupMs, new Map());
    await settle(warmup, 60_000);
    sink.requests.length = 0;

    const times = new Map<string, number>();
    const source = `page${producer === 'nats' ? 'n' : 'a'}${Date.now().toString(36)}`;
    log(
      `paging: ${ratePerSecond} new alerts/s for ${durationMs / 1000} s over ${shards} webhook channels, ` +
        `sent ${producer === 'nats' ? 'over NATS' : 'as Alertmanager webhooks over HTTP'}`,
    );
    refused = 0;
    const pids = Object.fromEntries(SERVICE_NAMES.map((name) => [name, platform.services[name].pid]));
    const pgBefore = await postgresActivity(pool);
    const cpuBefore = cpuSnapshot(pids);
    const writesBefore = writeSnapshot(pids);
    const sent = await run(source, durationMs, times);
    await settle(sent, 60_000);
    const cpuAfter = cpuSnapshot(pids);
    const writesAfter = writeSnapshot(pids);
    // Statistics reach the pg_stat views up to a second late.
    await sleep(1000);
    const pgAfter = await postgresActivity(pool);
    const stamps = await pathStamps(pool, source);
    const paths: PathStamps[] = [];
    const latencies = triggered().flatMap(({ at, body }) => {
      const node = body.subject.node ?? '';
      const published = times.get(node);
      if (published === undefined) return [];
      const stamped = stamps.get(node);
      if (stamped) paths.push({ published, ...stamped, notified: at });
      return [at - published];
    });
    if (latencies.length < sent) log(`paging: only ${latencies.length} of ${sent} pages notified`);
    return {
      producer,
      ratePerSecond,
      sent,
      channels: shards,
      latency: percentiles(latencies),
      stages: stageLatencies(paths),
      cpuMsPerAlert: perItem(cpuBefore, cpuAfter, latencies.length),
      writesPerAlert: perItem(writesBefore, writesAfter, latencies.length, 2),
      refused,
      postgres: postgresPer(pgBefore, pgAfter, latencies.length),
    };
  } finally {
    await parkRoutingTree(platform, 'bench-page-0', log);
  }
}

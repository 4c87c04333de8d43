import { SERVICE_NAMES } from '@vigil/config';
import { ROUTING_TREE_ID, Subjects } from '@vigil/contracts';
import { HttpSink, TestPlatform } from '@vigil/testing';
import type { Pool } from 'pg';
import { parkRoutingTree, putNotifierObject, WEBHOOK_SECRET } from './paging';
import { postgresActivity, postgresPer } from './postgres-activity';
import { cpuSnapshot, perItem, writeSnapshot } from './processes';
import { committedBy } from './storm';
import { consumerSnapshot, ConsumerWork, consumerWork } from './consumers';

/** What the storm of new alerts measured; every time is from the first publish. */
export interface AlertStormResult {
  alerts: number;
  /** Routing groups (clusters) the storm's alerts fall into: one page each. */
  groups: number;
  /** The producer's last publish acknowledged by JetStream. */
  publishedMs: number;
  /** Every alert committed by the correlator. */
  committedMs: number;
  /** Every alert a member of its group's page. */
  pagedMs: number;
  /** Every group's page received at the sink. */
  notifiedMs: number;
  pages: number;
  /** `triggered` notifications received: one per page when the storm is grouped. */
  notifications: number;
  /** Alerts ÷ pagedMs: the rate of new alerts the pipeline took to the pages. */
  alertsPerSecond: number;
  cpuMsPerAlert: Record<string, number>;
  writesPerAlert: Record<string, number>;
  /** Each consumer's batches during the storm. */
  consumers: Record<string, ConsumerWork>;
  postgres: ReturnType<typeof postgresPer>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Publishes in flight at once: a fleet of agents each reporting its own failure. */
const WINDOW = 256;
/** How often the phase looks at the counters while the storm drains. */
const POLL_MS = 50;

/**
 * A network partition: `alerts` distinct new alerts at once, published flat out to `events.raw`,
 * spread over `groups` clusters. One route groups by `cluster` with no group wait, so the first
 * alert of each cluster pages at once and the rest join its page; one webhook channel without a
 * rate limit (a plain webhook's default) receives the pages. Measured: when every alert is
 * committed, when every alert is on its page, when every page is received.
 */
export async function alertStormPhase(
  platform: TestPlatform,
  pool: Pool,
  sink: HttpSink,
  alerts: number,
  groups: number,
  log: (message: string) => void,
): Promise<AlertStormResult> {
  const source = `partition${Date.now().toString(36)}`;
  const put = (
    kind: 'channel' | 'escalation_policy' | 'routing_tree',
    id: string,
    body: Record<string, unknown>,
  ) => putNotifierObject(platform, kind, id, body);
  const path = `/storm/${source}`;
  try {
    await put('channel', 'bench-storm', {
      type: 'webhook',
      config: { url: `${sink.url}${path}`, secret: WEBHOOK_SECRET },
    });
    await put('escalation_policy', 'bench-storm', {
      name: 'bench storm',
      levels: [{ delay: '1h', targets: [{ type: 'channel', id: 'bench-storm' }] }],
    });
    await put('routing_tree', ROUTING_TREE_ID, {
      policy: 'bench-storm',
      groupBy: ['cluster'],
      groupWait: '0s',
      routes: [],
    });
    const pids = Object.fromEntries(SERVICE_NAMES.map((name) => [name, platform.services[name].pid]));
    const correlator = platform.url('correlator');
    const committedBefore = await committedBy(correlator);
    const pgBefore = await postgresActivity(pool);
    const cpuBefore = cpuSnapshot(pids);
    const writesBefore = writeSnapshot(pids);
    const consumersBefore = await consumerSnapshot(platform);
    const { js, space } = platform.nats.client;
    const subject = space.subject(Subjects.EventsRaw, source);

    log(`alert storm: ${alerts} distinct new alerts at once, in ${groups} clusters`);
    const started = Date.now();
    let next = 0;
    const published = Promise.all(
      Array.from({ length: WINDOW }, async () => {
        while (next < alerts) {
          const i = next++;
          const event = {
            id: `${source}-${i}`,
            source,
            node: `${source}-${i}.bench.example`,
            type: 'NodeUnreachable',
            summary: `node ${i} is unreachable`,
            severity: 'critical',
            labels: { cluster: `${source}-c${i % groups}`, env: 'bench' },
          };
          await js.publish(subject, JSON.stringify(event), { msgID: event.id });
        }
      }),
    ).then(() => Date.now() - started);

    const members = async () => {
      const { rows } = await pool.query<{ members: string; pages: string }>(
        `SELECT count(*) AS members, count(DISTINCT p.id) AS pages
           FROM notifier.pages p JOIN notifier.page_members m ON m.page_id = p.id
          WHERE p.group_labels->>'cluster' LIKE $1`,
        [`${source}-c%`],
      );
      return { members: Number(rows[0].members), pages: Number(rows[0].pages) };
    };
    const notified = () =>
      sink.requests.filter((r) => r.path === path && r.json<{ kind: string }>().kind === 'triggered');
    let committedMs: number | undefined;
    let pagedMs: number | undefined;
    let notifiedMs: number | undefined;
    let pages = 0;
    const deadline = started + 120_000;
    while (
      (committedMs === undefined || pagedMs === undefined || notifiedMs === undefined) &&
      Date.now() < deadline
    ) {
      await sleep(POLL_MS);
      const now = Date.now() - started;
      if (committedMs === undefined && (await committedBy(correlator)) - committedBefore >= alerts)
        committedMs = now;
      if (pagedMs === undefined) {
        const seen = await members();
        pages = seen.pages;
        if (seen.members >= alerts) pagedMs = now;
      }
      if (notifiedMs === undefined && notified().length >= groups) notifiedMs = now;
    }
    const publishedMs = await published;
    const cpuAfter = cpuSnapshot(pids);
    const writesAfter = writeSnapshot(pids);
    const consumers = consumerWork(consumersBefore, await consumerSnapshot(platform));
    // Statistics reach the pg_stat views up to a second late.
    await sleep(1000);
    const pgAfter = await postgresActivity(pool);
    if (pagedMs === undefined) log(`alert storm: not every alert reached its page within two minutes`);
    const span = pagedMs ?? Date.now() - started;
    return {
      alerts,
      groups,
      publishedMs,
      committedMs: committedMs ?? NaN,
      pagedMs: pagedMs ?? NaN,
      notifiedMs: notifiedMs ?? NaN,
      pages,
      notifications: notified().length,
      alertsPerSecond: Math.round((alerts / span) * 1000),
      cpuMsPerAlert: perItem(cpuBefore, cpuAfter, alerts),
      writesPerAlert: perItem(writesBefore, writesAfter, alerts, 2),
      consumers,
      postgres: postgresPer(pgBefore, pgAfter, alerts),
    };
  } finally {
    await parkRoutingTree(platform, 'bench-storm', log);
  }
}

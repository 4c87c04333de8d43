import { NotifierObjectKind, ROUTING_TREE_ID, RpcSubjects, Subjects } from '@vigil/contracts';
import { HttpSink, TestPlatform } from '@vigil/testing';
import { Percentiles, percentiles } from './stats';

/** What the paging phase measured. */
export interface PagingResult {
  ratePerSecond: number;
  sent: number;
  /** Webhook channels the pages were spread over (each well under its rate limit). */
  channels: number;
  /** Publish → the page's `triggered` webhook received at the sink. */
  latency: Percentiles;
}

/** Sends a webhook channel takes per minute at most (NOTIFIER_OBJECT_LIMITS.maxPerMinute). */
const CHANNEL_MAX_PER_MINUTE = 6000;
/** Each channel gets half of its rate limit at most, so the figure is latency, not throttling. */
const CHANNEL_SHARE_PER_SECOND = CHANNEL_MAX_PER_MINUTE / 60 / 2;
const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface PageWebhook {
  kind: string;
  subject: { node?: string };
}

/**
 * Publish → page notification: every event a new alert, routed (by a `shard` label) to one of a
 * few escalation policies whose first level is a webhook channel pointing at a sink of the
 * phase's own; groupWait 0s, so each alert pages at once. Latency = the sink receiving the page's
 * `triggered` webhook − the event's publish. It covers ingest's stream, the classifier, the
 * correlator and its outbox, paging (page, member and step rows), the escalation poller and the
 * delivery poller. Afterwards the tree is parked: one catch-all route muted for good, so later
 * phases page nobody.
 */
export async function pagingPhase(
  platform: TestPlatform,
  ratePerSecond: number,
  durationMs: number,
  warmupMs: number,
  log: (message: string) => void,
): Promise<PagingResult> {
  const { connection, js, space } = platform.nats.client;
  const put = async (kind: NotifierObjectKind, id: string, body: Record<string, unknown>) => {
    const reply = await connection.request(
      space.exact(RpcSubjects.NotifierObjectPut),
      JSON.stringify({ actor: 'bench', kind, id, body }),
      { timeout: 10_000 },
    );
    const answer = reply.json<{ ok: boolean }>();
    if (!answer.ok) throw new Error(`saving ${kind} "${id}" failed: ${reply.string()}`);
  };

  const sink = await new HttpSink().start();
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

    const run = async (source: string, ms: number, times: Map<string, number>) => {
      const subject = space.subject(Subjects.EventsRaw, source);
      const started = Date.now();
      const pending: Promise<unknown>[] = [];
      let sent = 0;
      for (;;) {
        const elapsed = Date.now() - started;
        if (elapsed >= ms) break;
        for (const due = Math.floor((elapsed * ratePerSecond) / 1000); sent < due; sent++) {
          const node = `${source}-${sent}.bench.example`;
          const event = {
            id: `${source}-${sent}`,
            source,
            node,
            type: 'ServiceDown',
            summary: `service on ${node} is down`,
            severity: 'critical',
            labels: { shard: String(sent % shards), env: 'bench' },
          };
          times.set(node, Date.now());
          pending.push(js.publish(subject, JSON.stringify(event), { msgID: event.id }));
        }
        await sleep(5);
      }
      await Promise.all(pending);
      return sent;
    };
    const triggered = () =>
      sink.requests
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
    log(`paging: ${ratePerSecond} new alerts/s for ${durationMs / 1000} s over ${shards} webhook channels`);
    const sent = await run(`page${Date.now().toString(36)}`, durationMs, times);
    await settle(sent, 60_000);
    const latencies = triggered().flatMap(({ at, body }) => {
      const published = times.get(body.subject.node ?? '');
      return published === undefined ? [] : [at - published];
    });
    if (latencies.length < sent) log(`paging: only ${latencies.length} of ${sent} pages notified`);
    return { ratePerSecond, sent, channels: shards, latency: percentiles(latencies) };
  } finally {
    await put('routing_tree', ROUTING_TREE_ID, {
      policy: 'bench-page-0',
      routes: [{ name: 'parked', matchers: ['kind=~".*"'], muteTimeIntervals: ['always'] }],
      timeIntervals: { always: [{ start: '2000-01-01T00:00:00Z', end: '2999-01-01T00:00:00Z' }] },
    }).catch((error: unknown) => log(`paging: parking the routing tree failed: ${String(error)}`));
    await sink.stop();
  }
}

import { NotifierObjectKind, ROUTING_TREE_ID, RpcSubjects, Subjects } from '@vigil/contracts';
import { freePort, ServiceProcess } from '@vigil/launcher';
import { ReceivedRequest, startTestPlatform, TestPlatform, waitFor } from '@vigil/testing';
import { Client } from 'pg';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Short polls keep the file quick; "never again" checks wait a few of them. */
const POLL_MS = 200;
const SETTLE_MS = 6 * POLL_MS;
/** Long enough that the test reliably acts (SIGKILL, acknowledge) between two levels. */
const LEVEL_DELAY_S = 4;
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
const LINK_SECRET = 'e2e-action-link-secret-0123456789abcdef';

/** What the sink receives from a webhook channel or contact method (docs/notifications.md). */
interface WebhookBody {
  id: string;
  kind: string;
  subject: { kind: string; id: string; node?: string; source?: string };
  links: { acknowledge?: string; resolve?: string };
  escalation: { level: number; policy?: string } | null;
}

interface Received {
  body: WebhookBody;
  idempotencyKey: string | undefined;
}

/**
 * Paging through the real services: events published as producers do, alerts opened by the
 * correlator, paged and escalated by the notifier from rows in Postgres, and delivered to a real
 * HTTP receiver by webhook channels and a user's contact method. Escalation steps and deliveries
 * are rows claimed with FOR UPDATE SKIP LOCKED, so a crash between two levels and a second
 * notifier process each still give every notification exactly once.
 */
describe('paging across a notifier crash and two notifier processes', () => {
  let platform: TestPlatform;
  let db: Client;

  const rpc = async <T>(subject: string, body: unknown): Promise<T> => {
    const { connection, space } = platform.nats.client;
    const reply = (
      await connection.request(space.exact(subject), JSON.stringify(body), { timeout: 5000 })
    ).json<{ ok: boolean; data: T; error?: unknown }>();
    if (!reply.ok) throw new Error(`${subject}: ${JSON.stringify(reply.error)}`);
    return reply.data;
  };
  const put = (kind: NotifierObjectKind, id: string, body: Record<string, unknown>) =>
    rpc(RpcSubjects.NotifierObjectPut, { actor: 'e2e', kind, id, body });
  const webhook = (path: string) => ({ url: `${platform.sink.url}${path}`, secret: WEBHOOK_SECRET });
  const channel = (path: string) => ({
    type: 'webhook',
    config: webhook(path),
    rateLimit: { perMinute: 6000 },
  });
  const level = (delay: string, ...targets: { type: string; id: string }[]) => ({ delay, targets });

  const publish = async (source: string, node: string) => {
    const { js, space } = platform.nats.client;
    await js.publish(
      space.subject(Subjects.EventsRaw, source),
      JSON.stringify({
        source,
        node,
        type: 'DiskFull',
        summary: `${node}: /var 97% full`,
        severity: 'major',
      }),
    );
  };
  const received = (path: string): Received[] =>
    platform.sink.requests
      .filter((r: ReceivedRequest) => r.path === path)
      .map((r) => ({ body: r.json<WebhookBody>(), idempotencyKey: r.headers['idempotency-key'] as string }));
  const about = (path: string, alertId: string) =>
    received(path).filter((r) => r.body.subject.id === alertId);
  const first = (path: string, description: string) =>
    waitFor(description, () => received(path)[0]?.body, { timeoutMs: 30_000 });

  const pageOf = async (alertId: string) =>
    (
      await db.query<{ page_id: string }>(
        "SELECT page_id FROM notifier.page_members WHERE subject_kind = 'alert' AND subject_id = $1",
        [alertId],
      )
    ).rows[0]?.page_id;
  const steps = async (pageId: string) =>
    (
      await db.query<{ kind: string; level: number; status: string; due_at: Date }>(
        'SELECT kind, level, status, due_at FROM notifier.escalation_steps WHERE page_id = $1 ORDER BY id',
        [pageId],
      )
    ).rows;
  const unsentDeliveries = async (where: string, params: unknown[]) =>
    (
      await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifier.deliveries WHERE status <> 'sent' AND ${where}`,
        params,
      )
    ).rows[0].n;

  beforeAll(async () => {
    platform = await startTestPlatform({
      env: {
        correlator: { OUTBOX_POLL_INTERVAL_MS: '100' },
        notifier: {
          NOTIFIER_STEP_POLL_INTERVAL_MS: String(POLL_MS),
          NOTIFIER_DELIVERY_POLL_INTERVAL_MS: String(POLL_MS),
          NOTIFIER_CONFIG_POLL_INTERVAL_MS: '500',
          NOTIFIER_RETRY_BASE_MS: '100',
          NOTIFIER_ACTION_LINK_SECRETS: LINK_SECRET,
        },
      },
    });
    // Action links must lead back to this notifier, whose port is known only now.
    const notifier = platform.services.notifier;
    await notifier.stop();
    notifier.options.env.NOTIFIER_PUBLIC_URL = notifier.url;
    notifier.start();
    await notifier.waitUntilReady();

    db = new Client({ connectionString: platform.database.url });
    await db.connect();

    // What others name must exist first: channels and users, then policies, then the tree.
    for (const id of ['default', 'crash-1', 'crash-2', 'fanout-1', 'fanout-2', 'ack-1', 'ack-2']) {
      await put('channel', id, channel(`/${id.replace('-', '/level')}`));
    }
    await put('user', 'alice', {
      name: 'Alice Example',
      contactMethods: [{ id: 'hook', type: 'webhook', config: webhook('/crash/alice') }],
    });
    const delay = `${LEVEL_DELAY_S}s`;
    await put('escalation_policy', 'default', {
      name: 'Default',
      levels: [level('1h', { type: 'channel', id: 'default' })],
    });
    await put('escalation_policy', 'crash', {
      name: 'Crash',
      levels: [
        level(delay, { type: 'channel', id: 'crash-1' }),
        level(delay, { type: 'channel', id: 'crash-2' }, { type: 'user', id: 'alice' }),
      ],
    });
    await put('escalation_policy', 'fanout', {
      name: 'Fan-out',
      levels: [level('1h', { type: 'channel', id: 'fanout-1' })],
    });
    await put('escalation_policy', 'fanout-esc', {
      name: 'Fan-out, escalating',
      levels: [
        level('2s', { type: 'channel', id: 'fanout-1' }),
        level('1h', { type: 'channel', id: 'fanout-2' }),
      ],
    });
    await put('escalation_policy', 'ack', {
      name: 'Acknowledged in time',
      levels: [
        level(delay, { type: 'channel', id: 'ack-1' }),
        level(delay, { type: 'channel', id: 'ack-2' }),
      ],
    });
    const route = (source: string, policy: string) => ({
      name: source,
      matchers: [`source="${source}"`],
      policy,
    });
    await put('routing_tree', ROUTING_TREE_ID, {
      policy: 'default',
      groupWait: '0s',
      routes: [
        route('paging-crash', 'crash'),
        route('paging-fanout', 'fanout'),
        route('paging-fanout-esc', 'fanout-esc'),
        route('paging-ack', 'ack'),
      ],
    });
  });

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
  });

  it('fires the next level once after a SIGKILL of the notifier between two levels', async () => {
    const notifier = platform.services.notifier;
    await publish('paging-crash', 'crash-node');
    const level1 = await first('/crash/level1', 'the level 1 notification');
    expect(level1).toMatchObject({
      kind: 'triggered',
      escalation: { level: 1, policy: 'Crash' },
      subject: { kind: 'alert', node: 'crash-node', source: 'paging-crash' },
    });
    const alertId = level1.subject.id;
    const pageId = await waitFor('the page', () => pageOf(alertId));
    // The crash is between the steps, not mid-send: a delivery the sink got but the notifier had
    // not yet recorded is re-sent by design (at least once, after its lease).
    await waitFor(
      'level 1 recorded as sent',
      async () => (await unsentDeliveries('page_id = $1', [pageId])) === 0,
    );
    const [pending] = (await steps(pageId)).filter((s) => s.status === 'pending');
    expect(pending).toMatchObject({ kind: 'notify', level: 1 });
    expect(pending.due_at.getTime()).toBeGreaterThan(Date.now());

    await notifier.kill();
    await sleep(pending.due_at.getTime() - Date.now() + SETTLE_MS);
    expect(received('/crash/level2')).toEqual([]);
    notifier.start();
    await notifier.waitUntilReady();

    const level2 = await first('/crash/level2', 'the level 2 notification after the restart');
    expect(level2).toMatchObject({ kind: 'escalated', escalation: { level: 2 }, subject: { id: alertId } });
    await first('/crash/alice', "level 2 at alice's contact method");
    await waitFor(
      'level 2 recorded as sent',
      async () => (await unsentDeliveries('page_id = $1', [pageId])) === 0,
    );
    expect(await steps(pageId)).toEqual([
      expect.objectContaining({ kind: 'notify', level: 0, status: 'done' }),
      expect.objectContaining({ kind: 'notify', level: 1, status: 'done' }),
      // The policy is exhausted: a reminder at the route's repeat interval (hours away).
      expect.objectContaining({ kind: 'repeat', level: 1, status: 'pending' }),
    ]);

    await sleep(SETTLE_MS);
    expect(received('/crash/level1')).toHaveLength(1);
    expect(received('/crash/level2')).toHaveLength(1);
    expect(received('/crash/alice')).toHaveLength(1);
    expect(received('/crash/alice')[0].body).toMatchObject({ kind: 'escalated', subject: { id: alertId } });
  });

  it('delivers each notification exactly once with two notifier processes', async () => {
    const original = platform.services.notifier;
    const second = new ServiceProcess({
      ...original.options,
      port: await freePort(),
      env: { ...original.options.env },
    });
    try {
      // Started after the configuration is saved: it loads it before it is ready.
      second.start();
      await second.waitUntilReady();

      const once = Array.from({ length: 20 }, (_, i) => `fanout-${i}`);
      const escalating = Array.from({ length: 10 }, (_, i) => `fanout-esc-${i}`);
      await Promise.all([
        ...once.map((node) => publish('paging-fanout', node)),
        ...escalating.map((node) => publish('paging-fanout-esc', node)),
      ]);
      const { rows: alerts } = await waitFor(
        'the 30 alerts',
        async () => {
          const found = await db.query<{ id: string; source: string }>(
            "SELECT id, source FROM correlator.alerts WHERE source IN ('paging-fanout', 'paging-fanout-esc')",
          );
          return found.rows.length === 30 ? found : undefined;
        },
        { timeoutMs: 30_000 },
      );
      const distinctSubjects = (path: string) => new Set(received(path).map((r) => r.body.subject.id)).size;
      await waitFor('level 1 for all 30', () => distinctSubjects('/fanout/level1') === 30, {
        timeoutMs: 30_000,
      });
      await waitFor('level 2 for the 10 escalating', () => distinctSubjects('/fanout/level2') === 10, {
        timeoutMs: 30_000,
      });
      await waitFor('every delivery recorded as sent', async () => {
        const pages = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM notifier.escalation_steps s JOIN notifier.pages p ON p.id = s.page_id
            WHERE p.route_id LIKE 'paging-fanout%' AND s.kind = 'notify' AND s.status = 'pending'`,
        );
        return (
          pages.rows[0].n === 0 &&
          (await unsentDeliveries("target IN ('channel:fanout-1', 'channel:fanout-2')", [])) === 0
        );
      });
      await sleep(SETTLE_MS);

      const level1 = received('/fanout/level1');
      const level2 = received('/fanout/level2');
      const count = (list: Received[]) => {
        const counts = new Map<string, number>();
        for (const r of list) counts.set(r.body.subject.id, (counts.get(r.body.subject.id) ?? 0) + 1);
        return counts;
      };
      const escalatingIds = alerts.filter((a) => a.source === 'paging-fanout-esc').map((a) => a.id);
      expect([...count(level1).keys()].sort()).toEqual(alerts.map((a) => a.id).sort());
      expect([...count(level1).values()].every((n) => n === 1)).toBe(true);
      expect([...count(level2).keys()].sort()).toEqual(escalatingIds.sort());
      expect([...count(level2).values()].every((n) => n === 1)).toBe(true);
      expect(level1.every((r) => r.body.kind === 'triggered' && r.body.escalation?.level === 1)).toBe(true);
      expect(level2.every((r) => r.body.kind === 'escalated' && r.body.escalation?.level === 2)).toBe(true);
      // Receivers drop duplicates by Idempotency-Key: there is none to drop, and each key is the body's id.
      const keys = [...level1, ...level2].map((r) => r.idempotencyKey);
      expect(new Set(keys).size).toBe(40);
      expect([...level1, ...level2].every((r) => r.idempotencyKey === r.body.id)).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it('acknowledges through the signed link against the real correlator, and stops the escalation', async () => {
    await publish('paging-ack', 'ack-node');
    const level1 = await first('/ack/level1', 'the level 1 notification');
    const alertId = level1.subject.id;
    const link = level1.links.acknowledge;
    expect(link?.startsWith(`${platform.url('notifier')}/actions/`)).toBe(true);
    const alert = async () =>
      (await (await fetch(`${platform.url('query')}/api/v1/alerts/${alertId}`)).json()) as { status: string };

    // Opening the link (a chat preview, a mail scanner) only shows the button.
    const preview = await fetch(link!);
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('<form method="post"');
    expect((await alert()).status).toBe('open');

    const pressed = await fetch(link!, { method: 'POST' });
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toContain('Acknowledged (1)');
    await waitFor('the alert acknowledged', async () => (await alert()).status === 'acknowledged');
    const history = (await (
      await fetch(`${platform.url('query')}/api/v1/alerts/${alertId}/history`)
    ).json()) as { items: { action: string; actor: string }[] };
    expect(history.items.filter((h) => h.action === 'acknowledged')).toEqual([
      expect.objectContaining({ actor: 'notification-link' }),
    ]);

    // Those already notified hear of it; the next level is cancelled and never fires.
    const acknowledged = await waitFor('the acknowledged notice', () =>
      received('/ack/level1').find((r) => r.body.kind === 'acknowledged'),
    );
    expect(acknowledged.body.subject.id).toBe(alertId);
    const pageId = await waitFor('the page', () => pageOf(alertId));
    const next = await waitFor('the level 2 step cancelled', async () =>
      (await steps(pageId)).find((s) => s.kind === 'notify' && s.level === 1 && s.status === 'cancelled'),
    );
    await sleep(Math.max(0, next.due_at.getTime() - Date.now()) + SETTLE_MS);
    expect(received('/ack/level2')).toEqual([]);
    expect(about('/ack/level1', alertId).map((r) => r.body.kind)).toEqual(['triggered', 'acknowledged']);

    // A second press changes nothing.
    const again = await fetch(link!, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('Nothing left to acknowledge');
  });
});

import { randomUUID } from 'node:crypto';
import {
  AlertChange,
  AlertChangedV1,
  AlertStatus,
  NotifierObjectKind,
  RpcSubjects,
  SchemaIds,
  StreamNames,
  Subjects,
} from '@vigil/contracts';
import { RpcClient } from '@vigil/messaging';
import { HttpSink, startTestService, TestService, waitFor } from '@vigil/testing';
import { DataSource } from 'typeorm';
import { signActionLink } from '../src/channels/action-links';
import { SmtpSink } from '../src/channels/test/smtp-sink';
import type { WebhookBodyV1 } from '../src/channels/webhook.channel';
import { notifierService } from '../src/service';

const LINK_SECRET = 'paging-test-secret-0123456789abcdef-0123';

interface AlertOptions {
  team?: string;
  status?: AlertStatus;
  notify?: boolean;
  quietReason?: AlertChangedV1['quietReason'];
  actor?: string;
}

function alertChange(alertId: string, sequence: number, change: AlertChange, options: AlertOptions = {}) {
  const now = new Date().toISOString();
  const message: AlertChangedV1 = {
    schema: SchemaIds.AlertChangedV1,
    alertId,
    sequence,
    change,
    changedAt: now,
    causeReceivedAt: now,
    ...(options.notify === undefined ? {} : { notify: options.notify }),
    ...(options.quietReason ? { quietReason: options.quietReason } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
    alert: {
      id: alertId,
      fingerprint: `fp-${alertId}`,
      status: options.status ?? (change === 'resolved' ? 'resolved' : 'open'),
      severity: 'critical',
      tally: 1,
      firstOccurrence: now,
      lastOccurrence: now,
      summary: `database down ${alertId.slice(0, 8)}`,
      node: 'db-1',
      source: 'test',
      type: 'DbDown',
      category: 'application',
      labels: options.team ? { team: options.team } : {},
      ...(options.team ? { team: options.team } : {}),
    },
  };
  return message;
}

describe('paging (real NATS, Postgres, HTTP receiver and SMTP server)', () => {
  let service: TestService;
  let sink: HttpSink;
  let flaky: HttpSink;
  let smtp: SmtpSink;
  let rpc: RpcClient;
  let db: DataSource;

  const bodies = (path: string) =>
    sink.requests.filter((r) => r.path === path).map((r) => r.json<WebhookBodyV1>());
  const about = (path: string, alertId: string) => bodies(path).filter((b) => b.subject.id === alertId);
  const mailsAbout = (alertId: string) => smtp.messages.filter((m) => m.raw.includes(alertId.slice(0, 8)));

  async function put(kind: NotifierObjectKind, id: string, body: Record<string, unknown>) {
    await rpc.request(RpcSubjects.NotifierObjectPut, { kind, id, body, actor: 'test' });
  }

  async function publish(message: AlertChangedV1) {
    await service.nats.client.js.publish(
      service.nats.client.space.subject(Subjects.AlertsChanged, message.alertId),
      JSON.stringify(message),
      { msgID: `${message.alertId}:${message.sequence}` },
    );
  }

  async function steps(alertId: string) {
    return db.query<{ kind: string; level: number; status: string; due_at: Date; done_at: Date | null }[]>(
      `SELECT s.kind, s.level, s.status, s.due_at, s.done_at FROM notifier.escalation_steps s
         JOIN notifier.page_members m ON m.page_id = s.page_id
        WHERE m.subject_id = $1 ORDER BY s.id`,
      [alertId],
    );
  }

  const webhook = (url: string) => ({ url, secret: 'a-webhook-secret-of-some-length' });
  const ROUTES = [
    { name: 'db', matchers: ['team="db"'], policy: 'db' },
    { name: 'flaky', matchers: ['team="flaky"'], policy: 'flaky' },
  ];

  beforeAll(async () => {
    sink = await new HttpSink().start();
    flaky = await new HttpSink().start();
    smtp = new SmtpSink({ noStartTls: true });
    await smtp.start();
    service = await startTestService(notifierService, {
      NOTIFIER_PUBLIC_URL: 'http://vigil.test',
      NOTIFIER_ACTION_LINK_SECRETS: LINK_SECRET,
      NOTIFIER_STEP_POLL_INTERVAL_MS: '100',
      NOTIFIER_DELIVERY_POLL_INTERVAL_MS: '100',
      NOTIFIER_DELIVERY_MAX_ATTEMPTS: '3',
      NOTIFIER_RETRY_BASE_MS: '50',
      NOTIFIER_RETRY_MAX_MS: '200',
    });
    rpc = service.app.get(RpcClient);
    db = service.app.get(DataSource);
    await put('channel', 'ops-hook', {
      type: 'webhook',
      config: webhook(`${sink.url}/ops`),
      rateLimit: { perMinute: 6000 },
    });
    await put('channel', 'flaky-hook', { type: 'webhook', config: webhook(`${flaky.url}/flaky`) });
    await put('channel', 'mail', {
      type: 'email',
      config: { ...smtp.address, tls: 'none', from: 'vigil@example.org', to: ['ops@example.org'] },
    });
    await put('user', 'alice', {
      name: 'Alice',
      contactMethods: [{ id: 'work', type: 'email', address: 'alice@example.org' }],
    });
    await put('user', 'bob', {
      name: 'Bob',
      contactMethods: [{ id: 'hook', type: 'webhook', config: webhook(`${sink.url}/bob`) }],
    });
    await put('schedule', 'primary', {
      name: 'DB primary',
      timeZone: 'Europe/Berlin',
      layers: [
        { name: 'all week', start: '2026-01-05T09:00', rotation: { type: 'weekly' }, users: ['alice'] },
      ],
    });
    await put('escalation_policy', 'db', {
      name: 'DB on-call',
      levels: [
        {
          delay: '2s',
          targets: [
            { type: 'schedule', id: 'primary' },
            { type: 'channel', id: 'ops-hook' },
          ],
        },
        { delay: '1h', targets: [{ type: 'user', id: 'bob' }] },
      ],
    });
    await put('escalation_policy', 'default', {
      name: 'Everything else',
      levels: [{ delay: '1h', targets: [{ type: 'channel', id: 'ops-hook' }] }],
    });
    await put('escalation_policy', 'flaky', {
      name: 'Flaky receiver',
      levels: [{ delay: '1h', targets: [{ type: 'channel', id: 'flaky-hook' }] }],
    });
    await put('routing_tree', 'default', { policy: 'default', groupWait: '0s', routes: ROUTES });
  });

  afterAll(async () => {
    await service?.stop();
    await sink?.stop();
    await flaky?.stop();
    await smtp?.stop();
  });

  it('routes by label: the db route reaches the on-call user by email and the ops channel; others only the default', async () => {
    const dbAlert = randomUUID();
    const other = randomUUID();
    await publish(alertChange(dbAlert, 1, 'opened', { team: 'db' }));
    await publish(alertChange(other, 1, 'opened', { team: 'web' }));
    await waitFor(
      'the db alert on the ops hook and by email',
      () => about('/ops', dbAlert).length === 1 && mailsAbout(dbAlert).length === 1,
    );
    await waitFor('the other alert on the ops hook', () => about('/ops', other).length === 1);
    const [notice] = about('/ops', dbAlert);
    expect(notice).toMatchObject({ kind: 'triggered', escalation: { level: 1, policy: 'DB on-call' } });
    expect(notice.links.acknowledge).toMatch(/^http:\/\/vigil\.test\/actions\/v1\./);
    expect(mailsAbout(dbAlert)[0].to).toEqual(['alice@example.org']);
    expect(mailsAbout(other)).toHaveLength(0);

    // Level 2 after the level's 2 s delay, nobody having acknowledged.
    const [escalated] = await waitFor(
      'level 2 (bob)',
      () => about('/bob', dbAlert).length === 1 && about('/bob', dbAlert),
    );
    expect(escalated).toMatchObject({
      kind: 'escalated',
      escalation: { level: 2 },
      recipient: { name: 'Bob' },
    });

    // Resolving tells everyone who was paged.
    await publish(alertChange(dbAlert, 2, 'resolved', { team: 'db' }));
    await waitFor(
      'resolve notices',
      () =>
        about('/ops', dbAlert).some((b) => b.kind === 'resolved') &&
        about('/bob', dbAlert).some((b) => b.kind === 'resolved') &&
        mailsAbout(dbAlert).length === 2,
    );
    expect(mailsAbout(dbAlert)[1].raw).toMatch(/Resolved/);
    expect(about('/ops', dbAlert).map((b) => b.kind)).toEqual(['triggered', 'resolved']);
  });

  it('stops escalating when the alert is acknowledged, and tells those paged', async () => {
    const alertId = randomUUID();
    await publish(alertChange(alertId, 1, 'opened', { team: 'db' }));
    await waitFor('level 1', () => about('/ops', alertId).length === 1);
    await publish(
      alertChange(alertId, 2, 'acknowledged', { team: 'db', status: 'acknowledged', actor: 'carol' }),
    );
    await waitFor('the acknowledgement notice', () =>
      about('/ops', alertId).some((b) => b.kind === 'acknowledged'),
    );
    expect(about('/ops', alertId).find((b) => b.kind === 'acknowledged')).toMatchObject({ actor: 'carol' });
    // The level-2 step is cancelled by the acknowledgement itself, before it is due: not merely
    // found stale when the escalation poller reaches it.
    const cancelled = await waitFor('level 2 cancelled', async () =>
      (await steps(alertId)).find((s) => s.kind === 'notify' && s.level === 1 && s.status === 'cancelled'),
    );
    expect(cancelled.done_at!.getTime()).toBeLessThan(cancelled.due_at.getTime());
    expect(about('/bob', alertId)).toHaveLength(0);
  });

  it('acknowledges through the signed link (confirm page, then the command), refusing tampered and expired links', async () => {
    const alertId = randomUUID();
    const commands: { alertId: string; commandId: string; actor: string }[] = [];
    // The correlator, as far as this test needs it: answers the command and announces the change.
    const responder = service.nats.client.connection.subscribe(
      service.nats.client.space.exact(RpcSubjects.AlertAcknowledge),
      {
        callback: (_error, msg) => {
          const command = msg.json<{ alertId: string; commandId: string; actor: string }>();
          commands.push(command);
          msg.respond(JSON.stringify({ ok: true, data: { outcome: 'applied', changed: true } }));
          void publish(
            alertChange(command.alertId, 2, 'acknowledged', {
              team: 'db',
              status: 'acknowledged',
              actor: command.actor,
            }),
          );
        },
      },
    );
    await service.nats.client.connection.flush();
    try {
      await publish(alertChange(alertId, 1, 'opened', { team: 'db' }));
      const [notice] = await waitFor(
        'level 1',
        () => about('/ops', alertId).length === 1 && about('/ops', alertId),
      );
      const token = notice.links.acknowledge!.split('/actions/')[1];
      const url = `${service.url}/actions/${token}`;

      const preview = await fetch(url);
      expect(preview.status).toBe(200);
      expect(await preview.text()).toContain('<form method="post"');
      expect(commands).toHaveLength(0);

      const tampered = await fetch(`${url.slice(0, -2)}xx`, { method: 'POST' });
      expect(tampered.status).toBe(403);
      const expired = signActionLink(
        {
          action: 'acknowledge',
          targetKind: 'page',
          targetId: randomUUID(),
          expiresAt: new Date(Date.now() - 1000),
        },
        LINK_SECRET,
      );
      expect((await fetch(`${service.url}/actions/${expired}`, { method: 'POST' })).status).toBe(410);

      const pressed = await fetch(url, { method: 'POST' });
      expect(pressed.status).toBe(200);
      expect(await pressed.text()).toContain('Acknowledged (1)');
      expect(commands).toEqual([expect.objectContaining({ alertId, actor: 'notification-link' })]);
      expect(commands[0].commandId).toMatch(/^link:/);
      await waitFor('level 2 cancelled', async () =>
        (await steps(alertId)).some((s) => s.kind === 'notify' && s.level === 1 && s.status === 'cancelled'),
      );
      expect(about('/bob', alertId)).toHaveLength(0);
    } finally {
      responder.unsubscribe();
    }
  });

  it('does not page a suppressed alert, and sends nothing twice when a change is redelivered', async () => {
    const quiet = randomUUID();
    await publish(alertChange(quiet, 1, 'opened', { team: 'db', notify: false, quietReason: 'maintenance' }));
    const loud = randomUUID();
    const opened = alertChange(loud, 1, 'opened', { team: 'web' });
    await publish(opened);
    await waitFor('the loud alert', () => about('/ops', loud).length === 1);
    // A second copy with another message id gets past JetStream's de-duplication.
    await service.nats.client.js.publish(
      service.nats.client.space.subject(Subjects.AlertsChanged, loud),
      JSON.stringify(opened),
      { msgID: 'redelivered' },
    );
    await waitFor('both copies handled', async () => {
      const info = await service.nats.client.jsm.consumers.info(
        service.nats.client.space.stream(StreamNames.AlertsChanged),
        'notifier-alerts',
      );
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(about('/ops', loud)).toHaveLength(1);
    expect(about('/ops', quiet)).toHaveLength(0);
    const [member] = await db.query<{ state: string; quiet_reason: string }[]>(
      'SELECT state, quiet_reason FROM notifier.page_members WHERE subject_id = $1',
      [quiet],
    );
    expect(member).toEqual({ state: 'quiet', quiet_reason: 'the alert is in a maintenance window' });
  });

  it('retries a failing receiver with back-off, and after the last attempt announces the failure', async () => {
    const failures: unknown[] = [];
    const raised: unknown[] = [];
    const space = service.nats.client.space;
    const subscriptions = [
      service.nats.client.connection.subscribe(space.wildcard(Subjects.NotificationsFailed), {
        callback: (_e, msg) => {
          failures.push(msg.json());
        },
      }),
      service.nats.client.connection.subscribe(space.wildcard(Subjects.EventsRaw), {
        callback: (_e, msg) => {
          raised.push(msg.json());
        },
      }),
    ];
    try {
      const recovered = randomUUID();
      flaky.failNext(2);
      await publish(alertChange(recovered, 1, 'opened', { team: 'flaky' }));
      await waitFor('delivered on the third attempt', () =>
        flaky.requests.some((r) => r.json<WebhookBodyV1>().subject.id === recovered),
      );
      const [row] = await db.query<{ status: string; attempts: number }[]>(
        `SELECT d.status, d.attempts FROM notifier.deliveries d JOIN notifier.page_members m ON m.page_id = d.page_id
          WHERE m.subject_id = $1`,
        [recovered],
      );
      expect(row).toEqual({ status: 'sent', attempts: 3 });

      const lost = randomUUID();
      flaky.failNext(3);
      await publish(alertChange(lost, 1, 'opened', { team: 'flaky' }));
      await waitFor('notifications.failed', () => failures.length === 1);
      expect(failures[0]).toMatchObject({
        kind: 'triggered',
        channelType: 'webhook',
        target: 'channel:flaky-hook',
        attempts: 3,
      });
      await waitFor('the failing channel raised as an event', () => raised.length >= 1);
      expect(raised[0]).toMatchObject({
        type: 'NotificationChannelFailing',
        node: 'channel:flaky-hook',
        severity: 'major',
        fingerprint: 'notifier:channel-failing:channel:flaky-hook',
      });
    } finally {
      for (const subscription of subscriptions) subscription.unsubscribe();
    }
  });

  it('with two replicas polling the same steps and deliveries, sends each notification exactly once', async () => {
    const replica = await startTestService(
      notifierService,
      { NOTIFIER_STEP_POLL_INTERVAL_MS: '50', NOTIFIER_DELIVERY_POLL_INTERVAL_MS: '50' },
      { shareWith: service },
    );
    try {
      const ids = Array.from({ length: 40 }, () => randomUUID());
      await Promise.all(ids.map((id) => publish(alertChange(id, 1, 'opened', { team: 'web' }))));
      await waitFor('every alert paged', () => ids.every((id) => about('/ops', id).length >= 1), {
        timeoutMs: 30_000,
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ids.filter((id) => about('/ops', id).length !== 1)).toEqual([]);
    } finally {
      await replica.stop();
    }
  });

  it("takes a storm at full speed on a webhook without a rate limit, and holds one back on a channel's own limit", async () => {
    // Sends a webhook channel held back for its rate limit so far (without using an attempt).
    const rateLimited = async () => {
      const text = await (await fetch(`${service.url}/metrics`)).text();
      const line = /^vigil_notifier_deliveries_total\{[^}]*outcome="rate_limited"[^}]*\} (\S+)$/m.exec(text);
      return line ? Number(line[1]) : 0;
    };
    await put('channel', 'storm-hook', { type: 'webhook', config: webhook(`${sink.url}/storm`) });
    await put('channel', 'limited-hook', {
      type: 'webhook',
      config: webhook(`${sink.url}/limited`),
      rateLimit: { perMinute: 60 },
    });
    for (const id of ['storm', 'limited'])
      await put('escalation_policy', id, {
        name: id,
        levels: [{ delay: '1h', targets: [{ type: 'channel', id: `${id}-hook` }] }],
      });
    await put('routing_tree', 'default', {
      policy: 'default',
      groupWait: '0s',
      routes: [
        ...ROUTES,
        ...['storm', 'limited'].map((id) => ({ name: id, matchers: [`team="${id}"`], policy: id })),
      ],
    });
    const before = await rateLimited();
    const storm = Array.from({ length: 30 }, () => randomUUID());
    await Promise.all(storm.map((id) => publish(alertChange(id, 1, 'opened', { team: 'storm' }))));
    await waitFor('every storm alert paged', () => storm.every((id) => about('/storm', id).length === 1));
    expect(await rateLimited()).toBe(before);

    // 60 a minute: bursts of 6, then one a second.
    const limited = Array.from({ length: 8 }, () => randomUUID());
    await Promise.all(limited.map((id) => publish(alertChange(id, 1, 'opened', { team: 'limited' }))));
    await waitFor(
      'every limited alert paged',
      () => limited.every((id) => about('/limited', id).length === 1),
      {
        timeoutMs: 30_000,
      },
    );
    expect(await rateLimited()).toBeGreaterThan(before);
    const attempts = await db.query<{ attempts: number }[]>(
      `SELECT attempts FROM notifier.deliveries WHERE target = 'channel:limited-hook'`,
    );
    expect(attempts.map((a) => a.attempts)).toEqual(limited.map(() => 1));
  });
});

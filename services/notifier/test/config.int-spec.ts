import {
  NotifierObjectV1,
  OnCallV1,
  RpcSubject,
  RpcSubjects,
  ScheduleShiftsReplyV1,
  TestNotificationReplyV1,
} from '@vigil/contracts';
import { HttpSink, startTestService, TestService, waitFor } from '@vigil/testing';
import { Client } from 'pg';
import { verifyWebhookSignature } from '../src/channels/webhook-signature';
import { SmtpSink } from '../src/channels/test/smtp-sink';
import { NotifierConfig } from '../src/config/notifier-config';
import { notifierService } from '../src/service';

interface Reply<T> {
  ok: boolean;
  data?: T;
  error?: { code: string; message: string; details?: { field: string; reason: string }[] };
}

const WEBHOOK_SECRET = 'a-secret-of-16-chars';

/** The configuration API over NATS request/reply, two replicas, real Postgres, HTTP and SMTP receivers. */
describe('notifier configuration (real NATS, Postgres, HTTP and SMTP)', () => {
  let service: TestService;
  let replica: TestService;
  let sink: HttpSink;
  let smtp: SmtpSink;

  const request = async <T = NotifierObjectV1>(subject: RpcSubject, body: unknown): Promise<Reply<T>> => {
    const reply = await service.nats.client.connection.request(
      service.nats.client.space.exact(subject),
      JSON.stringify(body),
      { timeout: 10_000 },
    );
    return reply.json<Reply<T>>();
  };
  const put = (kind: string, id: string, body: unknown, extra: Record<string, unknown> = {}) =>
    request(RpcSubjects.NotifierObjectPut, { actor: 'alice', kind, id, body, ...extra });
  const saved = async (kind: string, id: string, body: unknown, extra: Record<string, unknown> = {}) => {
    const reply = await put(kind, id, body, extra);
    if (!reply.data) throw new Error(`put ${kind} ${id}: ${JSON.stringify(reply.error)}`);
    return reply.data;
  };
  const remove = (kind: string, id: string) =>
    request(RpcSubjects.NotifierObjectDelete, { actor: 'bob', kind, id });
  const fieldsOf = (reply: Reply<unknown>) => reply.error?.details?.map((d) => d.field);
  const sql = async <R extends object>(text: string, values: unknown[] = []): Promise<R[]> => {
    const client = new Client({ connectionString: service.database.url });
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const webhookChannel = (url: string) => ({ type: 'webhook', config: { url, secret: WEBHOOK_SECRET } });

  beforeAll(async () => {
    sink = await new HttpSink().start();
    smtp = await new SmtpSink({ noStartTls: true }).start();
    // This replica polls often; the other hardly ever, so only the broadcast can bring it news.
    service = await startTestService(notifierService, { NOTIFIER_CONFIG_POLL_INTERVAL_MS: '200' });
    replica = await startTestService(
      notifierService,
      { NOTIFIER_CONFIG_POLL_INTERVAL_MS: '600000' },
      { shareWith: service },
    );
  });
  afterAll(async () => {
    await replica?.stop();
    await service?.stop();
    await sink?.stop();
    await smtp?.stop();
  });

  it('creates, replaces, reads, lists and deletes objects, with revisions and history', async () => {
    const created = await saved('channel', 'crud-hook', webhookChannel(`${sink.url}/crud`), {
      comment: 'first',
      basedOnRevision: 0,
    });
    expect(created).toMatchObject({ kind: 'channel', id: 'crud-hook', revision: 1, updatedBy: 'alice' });
    expect(created.body).toEqual(webhookChannel(`${sink.url}/crud`));

    const replaced = await saved(
      'channel',
      'crud-hook',
      { ...webhookChannel(`${sink.url}/crud2`) },
      {
        basedOnRevision: 1,
        actor: 'carol',
      },
    );
    expect(replaced).toMatchObject({ revision: 2, updatedBy: 'carol' });

    const stale = await put('channel', 'crud-hook', webhookChannel(`${sink.url}/crud3`), {
      basedOnRevision: 1,
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(stale.error?.message).toMatch(/is at revision 2, not 1/);
    const exists = await put('channel', 'crud-hook', webhookChannel(`${sink.url}/crud3`), {
      basedOnRevision: 0,
    });
    expect(exists.error?.message).toMatch(/already exists/);
    const absent = await put('channel', 'crud-none', webhookChannel(`${sink.url}/x`), { basedOnRevision: 3 });
    expect(absent.error).toMatchObject({ code: 'conflict' });

    expect(await request(RpcSubjects.NotifierObjectGet, { kind: 'channel', id: 'crud-hook' })).toMatchObject({
      ok: true,
      data: { revision: 2, body: { config: { url: `${sink.url}/crud2` } } },
    });
    const listed = await request<NotifierObjectV1[]>(RpcSubjects.NotifierObjectList, { kind: 'channel' });
    expect(listed.data?.map((o) => o.id)).toContain('crud-hook');
    expect(
      (await request<NotifierObjectV1[]>(RpcSubjects.NotifierObjectList, { kind: 'user' })).data?.some(
        (o) => o.kind !== 'user',
      ),
    ).toBe(false);

    expect(await remove('channel', 'crud-hook')).toEqual({
      ok: true,
      data: { kind: 'channel', id: 'crud-hook', deleted: true },
    });
    expect(await request(RpcSubjects.NotifierObjectGet, { kind: 'channel', id: 'crud-hook' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'channel "crud-hook" not found' },
    });
    expect((await remove('channel', 'crud-hook')).error?.code).toBe('not_found');

    const history = await sql<{
      version: string;
      revision: number;
      body: unknown;
      changed_by: string;
      comment: string | null;
    }>(
      `SELECT version, revision, body, changed_by, comment FROM notifier.config_history
        WHERE kind = 'channel' AND object_id = 'crud-hook' ORDER BY version`,
    );
    expect(history.map((h) => [h.revision, h.changed_by, h.comment, h.body === null])).toEqual([
      [1, 'alice', 'first', false],
      [2, 'carol', null, false],
      [2, 'bob', null, true],
    ]);
    // The configuration's version is the latest history entry, and the replica that answered holds it.
    const [{ max }] = await sql<{ max: string }>('SELECT max(version) AS max FROM notifier.config_history');
    await waitFor('both replicas at the latest version', () =>
      [service, replica].every((s) => s.app.get(NotifierConfig).current().version === Number(max)),
    );
  });

  it('refuses bad bodies, naming each field', async () => {
    const channel = await put('channel', 'bad-hook', {
      type: 'webhook',
      config: { url: 'nope', secret: 'short' },
    });
    expect(channel.error?.code).toBe('invalid_request');
    expect(fieldsOf(channel)).toEqual(['config.url', 'config.secret']);

    const user = await put('user', 'bad-user', {
      name: 'Bad',
      timeZone: 'Mars/Olympus',
      contactMethods: [
        { id: 'a', type: 'email', address: 'nope' },
        { id: 'b', type: 'webhook', config: { url: 'ftp://x', secret: WEBHOOK_SECRET } },
      ],
    });
    expect(fieldsOf(user)).toEqual(['timeZone', 'contactMethods[0].address', 'contactMethods[1].config.url']);

    const schedule = await put('schedule', 'bad-schedule', {
      name: 'bad',
      timeZone: 'UTC',
      layers: [
        { start: '2026-01-05T09:00', rotation: { type: 'daily', handoffTime: '25:00' }, users: ['x'] },
      ],
    });
    expect(fieldsOf(schedule)).toEqual(['layers[0].rotation.handoffTime']);

    const policy = await put('escalation_policy', 'bad-policy', {
      name: 'bad',
      levels: [{ delay: '5m', targets: [{ type: 'team', id: 'x' }] }],
      repeat: 10,
    });
    expect(fieldsOf(policy)).toEqual(['levels[0].targets[0].type', 'repeat']);

    const tree = await put('routing_tree', 'default', {
      policy: 'x',
      groupWait: 'soon',
      routes: [{ matchers: ['not a matcher'] }],
    });
    expect(fieldsOf(tree)).toEqual(['groupWait', 'routes[0].matchers[0]']);
    expect(fieldsOf(await put('routing_tree', 'other', { policy: 'x' }))).toEqual(['id']);

    // The contract's own checks come first: a bad id or kind never reaches the parsers.
    expect(fieldsOf(await put('robot', 'Bad Id', {}))).toEqual(['kind', 'id']);
    expect(fieldsOf(await put('user', 'u', []))).toEqual(['body']);
  });

  it('checks references at save, and refuses deletes that would leave them dangling', async () => {
    await saved('channel', 'ref-mail', {
      type: 'email',
      config: { host: '127.0.0.1', from: 'v@example.org', to: ['o@example.org'] },
    });
    await saved('channel', 'ref-hook', webhookChannel(`${sink.url}/ref`));
    const wrongChannel = await put('user', 'ref-ann', {
      name: 'Ann',
      contactMethods: [{ id: 'mail', type: 'email', address: 'ann@example.org', channel: 'ref-hook' }],
    });
    expect(wrongChannel.error?.details).toEqual([
      {
        field: 'contactMethods[0].channel',
        reason: 'channel "ref-hook" is a webhook channel, not an email channel',
      },
    ]);
    await saved('user', 'ref-ann', {
      name: 'Ann',
      contactMethods: [{ id: 'mail', type: 'email', address: 'ann@example.org', channel: 'ref-mail' }],
    });

    const schedule = await put('schedule', 'ref-rota', {
      name: 'rota',
      timeZone: 'UTC',
      layers: [{ start: '2026-01-05T09:00', rotation: { type: 'daily' }, users: ['ref-ann', 'ref-nobody'] }],
    });
    expect(schedule.error).toMatchObject({
      code: 'invalid_request',
      details: [{ field: 'layers[0].users[1]', reason: 'no user "ref-nobody"' }],
    });
    await saved('schedule', 'ref-rota', {
      name: 'rota',
      timeZone: 'UTC',
      layers: [{ start: '2026-01-05T09:00', rotation: { type: 'daily' }, users: ['ref-ann'] }],
    });

    const policyBody = (scheduleId: string) => ({
      name: 'refs',
      levels: [
        {
          delay: '5m',
          targets: [
            { type: 'user', id: 'ref-ann' },
            { type: 'schedule', id: scheduleId },
          ],
        },
        { delay: '10m', targets: [{ type: 'channel', id: 'ref-hook' }] },
      ],
    });
    const policy = await put('escalation_policy', 'ref-policy', policyBody('x'));
    expect(policy.error?.details).toEqual([{ field: 'levels[0].targets[1].id', reason: 'no schedule "x"' }]);
    await saved('escalation_policy', 'ref-policy', policyBody('ref-rota'));

    const tree = await put('routing_tree', 'default', {
      policy: 'ref-policy',
      routes: [{ matchers: ['team="db"'], policy: 'ref-missing' }],
    });
    expect(tree.error?.details).toEqual([
      { field: 'routes[0].policy', reason: 'no escalation policy "ref-missing"' },
    ]);
    await saved('routing_tree', 'default', { policy: 'ref-policy', routes: [{ matchers: ['team="db"'] }] });

    const deleteSchedule = await remove('schedule', 'ref-rota');
    expect(deleteSchedule.error).toMatchObject({ code: 'conflict' });
    expect(deleteSchedule.error?.message).toBe(
      'deleting schedule "ref-rota" would leave escalation policy "ref-policy" (levels[0].targets[1].id: no schedule "ref-rota") pointing at nothing; change it first',
    );
    const deleteUser = await remove('user', 'ref-ann');
    expect(deleteUser.error?.message).toMatch(
      /escalation policy "ref-policy" \(levels\[0\]\.targets\[0\]\.id: no user "ref-ann"\)/,
    );
    expect(deleteUser.error?.message).toMatch(
      /schedule "ref-rota" \(layers\[0\]\.users\[0\]: no user "ref-ann"\)/,
    );
    expect((await remove('channel', 'ref-mail')).error?.message).toMatch(
      /user "ref-ann" \(contactMethods\[0\]\.channel/,
    );
    expect((await remove('escalation_policy', 'ref-policy')).error?.message).toMatch(
      /routing tree "default" \(policy: no escalation policy "ref-policy"\)/,
    );
    // Changing an email channel's type under a user's feet is refused the same way.
    expect((await put('channel', 'ref-mail', webhookChannel(`${sink.url}/x`))).error?.code).toBe('conflict');
    expect(await remove('routing_tree', 'default')).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'the routing tree cannot be deleted; replace it instead' },
    });

    // Taken apart in order, every step is allowed.
    await saved('escalation_policy', 'ref-policy', {
      name: 'refs',
      levels: [{ delay: '5m', targets: [{ type: 'channel', id: 'ref-hook' }] }],
    });
    expect((await remove('schedule', 'ref-rota')).ok).toBe(true);
    expect((await remove('user', 'ref-ann')).ok).toBe(true);
    expect((await remove('channel', 'ref-mail')).ok).toBe(true);
  });

  it('shows a save on every replica; a missed broadcast is caught up by the poll', async () => {
    await saved('user', 'sync-zoe', { name: 'Zoe' });
    // The replica that answered reloaded before replying; the other one heard the broadcast.
    await waitFor(
      'both replicas',
      () =>
        [service, replica].every(
          (s) => s.app.get(NotifierConfig).current().users.get('sync-zoe')?.name === 'Zoe',
        ),
      { timeoutMs: 2000 },
    );

    // Written behind the notifier's back (no broadcast), and not parseable: the polling replica
    // reloads, leaves the bad object out and keeps the rest.
    await sql(
      `WITH o AS (INSERT INTO notifier.config_objects (kind, id, body, revision, updated_by)
                  VALUES ('user', 'sync-bad', '{"name": 5}', 1, 'sql'), ('user', 'sync-yan', '{"name": "Yan"}', 1, 'sql'))
       INSERT INTO notifier.config_history (kind, object_id, revision, body, changed_by)
       VALUES ('user', 'sync-bad', 1, '{"name": 5}', 'sql'), ('user', 'sync-yan', 1, '{"name": "Yan"}', 'sql')`,
    );
    const polling = service.app.get(NotifierConfig);
    await waitFor('the poll', () => polling.current().users.has('sync-yan'));
    expect(polling.current().users.has('sync-bad')).toBe(false);
    expect(polling.current().users.has('sync-zoe')).toBe(true);
    // The other replica polls hardly ever, but a request that needs the latest catches up first.
    expect(replica.app.get(NotifierConfig).current().users.has('sync-yan')).toBe(false);
    expect((await replica.app.get(NotifierConfig).fresh()).users.get('sync-yan')?.name).toBe('Yan');
    await sql(`DELETE FROM notifier.config_objects WHERE id = 'sync-bad'`);
  });

  it('answers who is on call and the shifts of a span, as JSON and iCalendar', async () => {
    await saved('user', 'oc-amy', { name: 'Amy Example' });
    await saved('user', 'oc-ben', { name: 'Ben Example' });
    await saved('schedule', 'oc-rota', {
      name: 'DB primary',
      timeZone: 'Europe/Berlin',
      layers: [
        { name: 'days', start: '2026-01-05T09:00', rotation: { type: 'daily' }, users: ['oc-amy', 'oc-ben'] },
      ],
      overrides: [{ user: 'oc-amy', start: '2026-01-06T11:00:00Z', end: '2026-01-06T12:00:00Z' }],
    });

    const onCall = await request<OnCallV1>(RpcSubjects.NotifierWhoIsOnCall, {
      scheduleId: 'oc-rota',
      at: '2026-01-06T10:00:00Z',
    });
    expect(onCall.data).toEqual({
      scheduleId: 'oc-rota',
      at: '2026-01-06T10:00:00.000Z',
      timeZone: 'Europe/Berlin',
      users: [{ id: 'oc-ben', name: 'Ben Example' }],
      source: 'layer',
      layer: 'days',
      shiftStart: '2026-01-06T08:00:00.000Z',
      shiftEnd: '2026-01-07T08:00:00.000Z',
    });
    const override = await request<OnCallV1>(RpcSubjects.NotifierWhoIsOnCall, {
      scheduleId: 'oc-rota',
      at: '2026-01-06T11:30:00Z',
    });
    expect(override.data).toMatchObject({
      users: [{ id: 'oc-amy', name: 'Amy Example' }],
      source: 'override',
    });
    const now = await request<OnCallV1>(RpcSubjects.NotifierWhoIsOnCall, { scheduleId: 'oc-rota' });
    expect(Math.abs(Date.parse(now.data!.at) - Date.now())).toBeLessThan(10_000);
    expect((await request(RpcSubjects.NotifierWhoIsOnCall, { scheduleId: 'oc-none' })).error?.code).toBe(
      'not_found',
    );

    const shifts = await request<ScheduleShiftsReplyV1>(RpcSubjects.NotifierScheduleShifts, {
      scheduleId: 'oc-rota',
      from: '2026-01-06T00:00:00Z',
      to: '2026-01-07T00:00:00Z',
      format: 'ical',
    });
    expect(shifts.data?.shifts).toEqual([
      {
        userId: 'oc-amy',
        userName: 'Amy Example',
        start: '2026-01-06T00:00:00.000Z',
        end: '2026-01-06T08:00:00.000Z',
        source: 'days',
      },
      {
        userId: 'oc-ben',
        userName: 'Ben Example',
        start: '2026-01-06T08:00:00.000Z',
        end: '2026-01-06T11:00:00.000Z',
        source: 'days',
      },
      {
        userId: 'oc-amy',
        userName: 'Amy Example',
        start: '2026-01-06T11:00:00.000Z',
        end: '2026-01-06T12:00:00.000Z',
        source: 'override',
      },
      {
        userId: 'oc-ben',
        userName: 'Ben Example',
        start: '2026-01-06T12:00:00.000Z',
        end: '2026-01-07T00:00:00.000Z',
        source: 'days',
      },
    ]);
    expect(shifts.data?.ical).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(shifts.data?.ical?.match(/BEGIN:VEVENT/g)).toHaveLength(4);
    expect(shifts.data?.ical).toContain('Ben Example');
    const json = await request<ScheduleShiftsReplyV1>(RpcSubjects.NotifierScheduleShifts, {
      scheduleId: 'oc-rota',
    });
    expect(Date.parse(json.data!.to) - Date.parse(json.data!.from)).toBe(14 * 24 * 3600_000);
    expect(json.data?.ical).toBeUndefined();

    const tooLong = await request(RpcSubjects.NotifierScheduleShifts, {
      scheduleId: 'oc-rota',
      from: '2026-01-01T00:00:00Z',
      to: '2027-01-03T00:00:00Z',
    });
    expect(tooLong.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'to' }] });
    const backwards = await request(RpcSubjects.NotifierScheduleShifts, {
      scheduleId: 'oc-rota',
      from: '2026-01-02T00:00:00Z',
      to: '2026-01-01T00:00:00Z',
    });
    expect(fieldsOf(backwards)).toEqual(['to']);
  });

  it('sends a test notification to a webhook channel and to a user over SMTP, reporting each answer', async () => {
    await saved('channel', 'test-hook', webhookChannel(`${sink.url}/test-hook`));
    const sent = await request<TestNotificationReplyV1>(RpcSubjects.NotifierSendTest, {
      actor: 'alice',
      targetKind: 'channel',
      targetId: 'test-hook',
      message: 'checking the hook',
    });
    expect(sent.data).toEqual({
      deliveries: [{ target: 'channel:test-hook', channelType: 'webhook', ok: true, status: 200 }],
    });
    const received = sink.requests.filter((r) => r.path === '/test-hook');
    expect(received).toHaveLength(1);
    const body = received[0].json<{
      kind: string;
      id: string;
      actor: string;
      subject: { summary: string };
    }>();
    expect(body).toMatchObject({ kind: 'test', actor: 'alice', subject: { summary: 'checking the hook' } });
    expect(body.id).toMatch(/^test-[0-9a-f-]{36}$/);
    expect(
      verifyWebhookSignature({
        body: received[0].body,
        timestamp: received[0].headers['vigil-timestamp'],
        signature: received[0].headers['vigil-signature'],
        secret: WEBHOOK_SECRET,
      }),
    ).toMatchObject({ ok: true });

    sink.failNext(1, 503);
    const refused = await request<TestNotificationReplyV1>(RpcSubjects.NotifierSendTest, {
      actor: 'alice',
      targetKind: 'channel',
      targetId: 'test-hook',
    });
    expect(refused.data?.deliveries).toEqual([
      expect.objectContaining({ target: 'channel:test-hook', ok: false, status: 503, retryable: true }),
    ]);

    await saved('channel', 'test-mail', {
      type: 'email',
      config: {
        host: smtp.address.host,
        port: smtp.address.port,
        tls: 'none',
        from: 'vigil@example.org',
        to: ['ops@example.org'],
        timeoutMs: 3000,
      },
    });
    await saved('user', 'test-uma', {
      name: 'Uma',
      contactMethods: [
        { id: 'work', type: 'email', address: 'uma@example.org', channel: 'test-mail' },
        { id: 'hook', type: 'webhook', config: { url: `${sink.url}/uma`, secret: WEBHOOK_SECRET } },
      ],
    });
    const user = await request<TestNotificationReplyV1>(RpcSubjects.NotifierSendTest, {
      actor: 'alice',
      targetKind: 'user',
      targetId: 'test-uma',
    });
    expect(user.data?.deliveries).toEqual([
      { target: 'user:test-uma/work', channelType: 'email', ok: true, status: 250 },
      { target: 'user:test-uma/hook', channelType: 'webhook', ok: true, status: 200 },
    ]);
    expect(smtp.messages.map((m) => m.to)).toEqual([['uma@example.org']]);
    expect(smtp.messages[0].raw).toMatch(/X-Vigil-Kind: test/);
    expect(sink.requests.find((r) => r.path === '/uma')?.json()).toMatchObject({
      kind: 'test',
      recipient: { name: 'Uma' },
    });

    const unknown = await request(RpcSubjects.NotifierSendTest, {
      actor: 'alice',
      targetKind: 'user',
      targetId: 'nobody',
    });
    expect(unknown.error).toMatchObject({ code: 'not_found', message: 'user "nobody" not found' });
  });
});

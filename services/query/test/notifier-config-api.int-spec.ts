import type { Msg, Subscription } from '@nats-io/transport-node';
import { RpcEnvelope, RpcSubject, RpcSubjects } from '@vigil/contracts';
import { startTestService, TestService } from '@vigil/testing';
import { queryService } from '../src/service';

const TOKEN = 'operator-token-for-tests';

type ErrorBody = { message: string; errors?: { field: string; reason: string }[] };

const OBJECT = {
  kind: 'user',
  id: 'alice',
  revision: 3,
  body: { name: 'Alice' },
  updatedAt: '2026-05-01T12:00:00.000Z',
  updatedBy: 'alice',
};

/**
 * The notification configuration endpoints forward to the notifier over real NATS; here a fake
 * notifier answers on the notifier's subjects, recording what it was asked (the real one is in
 * e2e/src/notifier-config.e2e-spec.ts).
 */
describe('notification configuration API (real NATS, a fake notifier)', () => {
  let service: TestService;
  const subscriptions: Subscription[] = [];
  const asked: { subject: RpcSubject; payload: Record<string, unknown> }[] = [];
  let answer: (subject: RpcSubject, payload: Record<string, unknown>) => RpcEnvelope<unknown> = () => ({
    ok: true,
    data: OBJECT,
  });

  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
  ) => {
    const token = options.token === undefined ? TOKEN : options.token;
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // text/calendar
    }
    return { status: response.status, headers: response.headers, body: body as T };
  };
  const lastAsked = () => asked[asked.length - 1];

  beforeAll(async () => {
    service = await startTestService(queryService, {
      QUERY_RPC_TIMEOUT_MS: '500',
      QUERY_OPERATOR_TOKEN: TOKEN,
    });
    const { connection, space } = service.nats.client;
    const notifierSubjects: RpcSubject[] = [
      RpcSubjects.NotifierObjectPut,
      RpcSubjects.NotifierObjectGet,
      RpcSubjects.NotifierObjectList,
      RpcSubjects.NotifierObjectDelete,
      RpcSubjects.NotifierWhoIsOnCall,
      RpcSubjects.NotifierScheduleShifts,
      RpcSubjects.NotifierSendTest,
    ];
    for (const subject of notifierSubjects) {
      subscriptions.push(
        connection.subscribe(space.exact(subject), {
          callback: (_error: Error | null, msg: Msg) => {
            const payload = msg.json<Record<string, unknown>>();
            asked.push({ subject, payload });
            msg.respond(JSON.stringify(answer(subject, payload)));
          },
        }),
      );
    }
    await connection.flush();
  });
  afterAll(async () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
    await service?.stop();
  });
  beforeEach(() => {
    answer = () => ({ ok: true, data: OBJECT });
  });

  it('forwards a PUT with the body as the object, the actor and If-Match as the base revision', async () => {
    const put = await call('PUT', '/api/v1/notifications/users/alice?actor=bob&comment=new%20phone', {
      body: { name: 'Alice', contactMethods: [] },
      headers: { 'if-match': '"3"' },
    });
    expect(put).toMatchObject({ status: 200, body: OBJECT });
    expect(lastAsked()).toEqual({
      subject: RpcSubjects.NotifierObjectPut,
      payload: {
        kind: 'user',
        id: 'alice',
        body: { name: 'Alice', contactMethods: [] },
        actor: 'bob',
        comment: 'new phone',
        basedOnRevision: 3,
      },
    });

    await call('PUT', '/api/v1/notifications/escalation-policies/db?actor=bob', { body: { name: 'db' } });
    expect(lastAsked().payload).toEqual({
      kind: 'escalation_policy',
      id: 'db',
      body: { name: 'db' },
      actor: 'bob',
    });
    await call('PUT', '/api/v1/notifications/routes?actor=bob', {
      body: { policy: 'db' },
      headers: { 'if-match': '0' },
    });
    expect(lastAsked().payload).toMatchObject({ kind: 'routing_tree', id: 'default', basedOnRevision: 0 });
  });

  it('reads, lists and deletes, with the revision as ETag', async () => {
    const got = await call('GET', '/api/v1/notifications/channels/team-slack', { token: null });
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"3"');
    expect(lastAsked()).toEqual({
      subject: RpcSubjects.NotifierObjectGet,
      payload: { kind: 'channel', id: 'team-slack' },
    });

    answer = () => ({ ok: true, data: [OBJECT] });
    expect(await call('GET', '/api/v1/notifications/schedules', { token: null })).toMatchObject({
      status: 200,
      body: [OBJECT],
    });
    expect(lastAsked().payload).toEqual({ kind: 'schedule' });

    expect((await call('GET', '/api/v1/notifications/routes', { token: null })).status).toBe(200);
    expect(lastAsked().payload).toEqual({ kind: 'routing_tree', id: 'default' });

    answer = (_subject, payload) => ({
      ok: true,
      data: { kind: payload.kind, id: payload.id, deleted: true },
    });
    expect(await call('DELETE', '/api/v1/notifications/users/alice?actor=bob')).toMatchObject({
      status: 200,
      body: { kind: 'user', id: 'alice', deleted: true },
    });
    expect(lastAsked().payload).toEqual({ kind: 'user', id: 'alice', actor: 'bob' });

    const unknown = await call('GET', '/api/v1/notifications/robots', { token: null });
    expect(unknown.status).toBe(404);
  });

  it('forwards on-call, shifts and the calendar', async () => {
    answer = () => ({ ok: true, data: { scheduleId: 'db', users: [] } });
    await call('GET', '/api/v1/notifications/schedules/db/on-call?at=2026-05-01T12:00:00Z', { token: null });
    expect(lastAsked()).toEqual({
      subject: RpcSubjects.NotifierWhoIsOnCall,
      payload: { scheduleId: 'db', at: '2026-05-01T12:00:00Z' },
    });
    await call('GET', '/api/v1/notifications/schedules/db/shifts?from=2026-05-01T00:00:00Z', { token: null });
    expect(lastAsked().payload).toEqual({ scheduleId: 'db', from: '2026-05-01T00:00:00Z' });

    const ical = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    answer = () => ({ ok: true, data: { scheduleId: 'db', shifts: [], ical } });
    const calendar = await call<string>(
      'GET',
      '/api/v1/notifications/schedules/db/calendar.ics?from=2026-05-01T00:00:00Z&to=2026-05-08T00:00:00Z',
      { token: null },
    );
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(calendar.body).toBe(ical);
    expect(lastAsked().payload).toEqual({
      scheduleId: 'db',
      from: '2026-05-01T00:00:00Z',
      to: '2026-05-08T00:00:00Z',
      format: 'ical',
    });

    const bad = await call<ErrorBody>('GET', '/api/v1/notifications/schedules/db/on-call?at=yesterday', {
      token: null,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toEqual(['at']);
  });

  it('forwards a test notification and answers 200 with each delivery', async () => {
    answer = () => ({
      ok: true,
      data: { deliveries: [{ target: 'channel:ops', channelType: 'webhook', ok: true, status: 200 }] },
    });
    const sent = await call('POST', '/api/v1/notifications/test', {
      body: { actor: 'alice', targetKind: 'channel', targetId: 'ops', message: 'hello' },
    });
    expect(sent).toMatchObject({ status: 200, body: { deliveries: [{ ok: true }] } });
    expect(lastAsked()).toEqual({
      subject: RpcSubjects.NotifierSendTest,
      payload: { actor: 'alice', targetKind: 'channel', targetId: 'ops', message: 'hello' },
    });
    const bad = await call<ErrorBody>('POST', '/api/v1/notifications/test', {
      body: { actor: 'alice', targetKind: 'team', targetId: 'ops' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field)).toEqual(['targetKind']);
  });

  it("maps the notifier's refusals to 400 with fields, 404, 409 and 502", async () => {
    const details = [{ field: 'levels[0].targets[1].id', reason: 'no schedule "x"' }];
    answer = () => ({ ok: false, error: { code: 'invalid_request', message: 'invalid message', details } });
    const invalid = await call<ErrorBody>('PUT', '/api/v1/notifications/escalation-policies/db?actor=bob', {
      body: { name: 'db' },
    });
    expect(invalid).toMatchObject({
      status: 400,
      body: { message: 'invalid request: levels[0].targets[1].id: no schedule "x"', errors: details },
    });

    answer = () => ({ ok: false, error: { code: 'not_found', message: 'user "x" not found' } });
    expect(await call('GET', '/api/v1/notifications/users/x', { token: null })).toMatchObject({
      status: 404,
      body: { message: 'user "x" not found' },
    });
    answer = () => ({ ok: false, error: { code: 'conflict', message: 'user "x" is at revision 4, not 3' } });
    expect(
      await call('PUT', '/api/v1/notifications/users/x?actor=bob', {
        body: { name: 'X' },
        headers: { 'if-match': '3' },
      }),
    ).toMatchObject({ status: 409, body: { message: 'user "x" is at revision 4, not 3' } });
    answer = () => ({ ok: false, error: { code: 'internal', message: 'boom' } });
    expect(await call('GET', '/api/v1/notifications/users', { token: null })).toMatchObject({
      status: 502,
      body: { message: 'the notifier failed: boom' },
    });
  });

  it('checks the request before forwarding it: the write token, If-Match and the actor', async () => {
    const before = asked.length;
    expect(
      (await call('PUT', '/api/v1/notifications/users/alice?actor=bob', { body: {}, token: null })).status,
    ).toBe(401);
    expect(
      (await call('DELETE', '/api/v1/notifications/users/alice?actor=bob', { token: 'wrong-token-1234567' }))
        .status,
    ).toBe(401);
    const ifMatch = await call<ErrorBody>('PUT', '/api/v1/notifications/users/alice?actor=bob', {
      body: { name: 'A' },
      headers: { 'if-match': '*' },
    });
    expect(ifMatch.status).toBe(400);
    expect(ifMatch.body.errors?.map((e) => e.field)).toEqual(['If-Match']);
    const noActor = await call<ErrorBody>('PUT', '/api/v1/notifications/users/alice', {
      body: { name: 'A' },
    });
    expect(noActor.status).toBe(400);
    expect(new Set(noActor.body.errors?.map((e) => e.field))).toEqual(new Set(['actor']));
    expect(asked.length).toBe(before);
  });

  it('answers 503 with Retry-After when no notifier answers', async () => {
    for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
    await service.nats.client.connection.flush();
    const { status, headers, body } = await call<ErrorBody>('GET', '/api/v1/notifications/users', {
      token: null,
    });
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe('5');
    expect(body.message).toBe('no notifier is answering; retry later');
  });
});

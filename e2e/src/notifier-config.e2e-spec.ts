import { startTestPlatform, TestPlatform } from '@vigil/testing';

const TOKEN = 'operator-token-for-tests';

interface Answer<T> {
  status: number;
  headers: globalThis.Headers;
  body: T;
}
type ErrorBody = { message: string; errors?: { field: string; reason: string }[] };

/** The notification configuration API over HTTP with the real notifier behind the query service. */
describe('notification configuration API (query + notifier)', () => {
  let platform: TestPlatform;

  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> => {
    const response = await fetch(`${platform.url('query')}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        authorization: `Bearer ${TOKEN}`,
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // text/calendar
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  };

  beforeAll(async () => {
    platform = await startTestPlatform({ env: { query: { QUERY_OPERATOR_TOKEN: TOKEN } } });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('saves objects with revisions, checks their fields and references, and refuses stale writes', async () => {
    const hook = {
      type: 'webhook',
      config: { url: `${platform.sink.url}/e2e-hook`, secret: 'a-secret-of-16-chars' },
    };
    const created = await call('PUT', '/api/v1/notifications/channels/ops-hook?actor=alice', hook, {
      'if-match': '0',
    });
    expect(created).toMatchObject({ status: 200, body: { kind: 'channel', id: 'ops-hook', revision: 1 } });
    expect((await call('GET', '/api/v1/notifications/channels/ops-hook')).headers.get('etag')).toBe('"1"');

    const stale = await call<ErrorBody>('PUT', '/api/v1/notifications/channels/ops-hook?actor=alice', hook, {
      'if-match': '"0"',
    });
    expect(stale.status).toBe(409);
    const badUrl = await call<ErrorBody>('PUT', '/api/v1/notifications/channels/bad?actor=alice', {
      type: 'webhook',
      config: { url: 'nope', secret: 'a-secret-of-16-chars' },
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.errors).toEqual([{ field: 'config.url', reason: expect.any(String) }]);

    const policy = {
      name: 'ops',
      levels: [
        {
          delay: '5m',
          targets: [
            { type: 'channel', id: 'ops-hook' },
            { type: 'schedule', id: 'nope' },
          ],
        },
      ],
    };
    const dangling = await call<ErrorBody>(
      'PUT',
      '/api/v1/notifications/escalation-policies/ops?actor=alice',
      policy,
    );
    expect(dangling).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'levels[0].targets[1].id', reason: 'no schedule "nope"' }] },
    });
    policy.levels[0].targets.pop();
    expect(
      (await call('PUT', '/api/v1/notifications/escalation-policies/ops?actor=alice', policy)).status,
    ).toBe(200);
    expect((await call('PUT', '/api/v1/notifications/routes?actor=alice', { policy: 'ops' })).status).toBe(
      200,
    );

    const inUse = await call<ErrorBody>('DELETE', '/api/v1/notifications/channels/ops-hook?actor=alice');
    expect(inUse.status).toBe(409);
    expect(inUse.body.message).toMatch(/escalation policy "ops"/);
    const listed = await call<{ id: string }[]>('GET', '/api/v1/notifications/escalation-policies');
    expect(listed.body.map((o) => o.id)).toEqual(['ops']);
  });

  it("answers who is on call and serves a schedule's calendar", async () => {
    for (const [id, name] of [
      ['amy', 'Amy Example'],
      ['ben', 'Ben Example'],
    ]) {
      expect((await call('PUT', `/api/v1/notifications/users/${id}?actor=alice`, { name })).status).toBe(200);
    }
    const schedule = {
      name: 'Primary',
      timeZone: 'UTC',
      layers: [
        { name: 'days', start: '2026-01-05T09:00', rotation: { type: 'daily' }, users: ['amy', 'ben'] },
      ],
    };
    expect((await call('PUT', '/api/v1/notifications/schedules/primary?actor=alice', schedule)).status).toBe(
      200,
    );

    const onCall = await call(
      'GET',
      '/api/v1/notifications/schedules/primary/on-call?at=2026-01-06T10:00:00Z',
    );
    expect(onCall).toMatchObject({
      status: 200,
      body: { users: [{ id: 'ben', name: 'Ben Example' }], source: 'layer', layer: 'days' },
    });
    const calendar = await call<string>(
      'GET',
      '/api/v1/notifications/schedules/primary/calendar.ics?from=2026-01-05T09:00:00Z&to=2026-01-08T09:00:00Z',
    );
    expect(calendar.status).toBe(200);
    expect(calendar.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(calendar.body.match(/BEGIN:VEVENT/g)).toHaveLength(3);
  });

  it('sends a test notification to a channel and reports the answer', async () => {
    const sent = await call('POST', '/api/v1/notifications/test', {
      actor: 'alice',
      targetKind: 'channel',
      targetId: 'ops-hook',
      message: 'e2e test',
    });
    expect(sent).toMatchObject({
      status: 200,
      body: { deliveries: [{ target: 'channel:ops-hook', channelType: 'webhook', ok: true, status: 200 }] },
    });
    const received = platform.sink.requests.filter((r) => r.path === '/e2e-hook');
    expect(received.map((r) => r.json())).toEqual([
      expect.objectContaining({
        kind: 'test',
        actor: 'alice',
        subject: expect.objectContaining({ summary: 'e2e test' }),
      }),
    ]);
  });
});

import {
  AlertChangedV1,
  ClassifiedEventV1,
  HEARTBEAT_MISSING_TYPE,
  HeartbeatV1,
  RpcSubject,
  RpcSubjects,
  StreamNames,
  Subjects,
} from '@vigil/contracts';
import { classifiedEvent, startTestService, TestService, waitFor } from '@vigil/testing';
import { Client } from 'pg';
import { correlatorService } from '../src/service';

/** Heartbeats through NATS (request/reply, the classified stream) and Postgres, with the real poll. */
describe('heartbeats (real NATS and Postgres)', () => {
  let svc: TestService;

  interface Reply<T> {
    ok: boolean;
    data?: T;
    error?: { code: string; details?: { field: string; reason: string }[] };
  }
  const request = async <T = HeartbeatV1>(subject: RpcSubject, body: unknown): Promise<Reply<T>> => {
    const reply = await svc.nats.client.connection.request(
      svc.nats.client.space.exact(subject),
      JSON.stringify(body),
      { timeout: 5000 },
    );
    return reply.json<Reply<T>>();
  };
  const heartbeat = async (id: string) => {
    const reply = await request(RpcSubjects.HeartbeatGet, { id });
    if (!reply.data) throw new Error(`heartbeat ${id}: ${JSON.stringify(reply.error)}`);
    return reply.data;
  };
  const create = async (body: Record<string, unknown>) => {
    const reply = await request(RpcSubjects.HeartbeatCreate, { actor: 'alice', ...body });
    if (!reply.data) throw new Error(`create: ${JSON.stringify(reply.error)}`);
    return reply.data;
  };
  /** Through the classified stream and the correlator's consumer, as the classifier would send it. */
  const send = async (overrides: Partial<ClassifiedEventV1>) => {
    const event = classifiedEvent(overrides);
    const { js, space } = svc.nats.client;
    await js.publish(space.subject(Subjects.EventsClassified, event.category), JSON.stringify(event), {
      msgID: event.id,
    });
    return event;
  };
  const changesOf = async (fingerprint: string) =>
    (await svc.nats.readStream(StreamNames.AlertsChanged))
      .map((m) => m.json<AlertChangedV1>())
      .filter((c) => c.alert.fingerprint === fingerprint)
      .sort((a, b) => a.sequence - b.sequence);
  const alertsOf = async (heartbeatId: string) => {
    const client = new Client({ connectionString: svc.database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; status: string; type: string; tally: number }>(
        'SELECT id, status, type, tally FROM correlator.alerts WHERE fingerprint = $1',
        [`heartbeat:${heartbeatId}`],
      );
      return rows;
    } finally {
      await client.end();
    }
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    svc = await startTestService(correlatorService, {
      OUTBOX_POLL_INTERVAL_MS: '50',
      HEARTBEAT_POLL_INTERVAL_MS: '50',
      HEARTBEAT_GRACE_MS: '100',
      HEARTBEAT_REFRESH_INTERVAL_MS: '200',
    });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('creates, reads, updates and deletes heartbeats; faults name their field', async () => {
    const bad = await request(RpcSubjects.HeartbeatCreate, {
      actor: 'alice',
      name: 'bad',
      matchers: ['source="crud"', 'not a matcher'],
      intervalSeconds: 60,
      schedule: { rrule: 'FREQ=SOMETIMES', durationMinutes: 10, timezone: 'Europe/Berlin' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(bad.error?.details?.map((d) => d.field)).toEqual(['matchers[1]', 'schedule.rrule']);
    const short = await request(RpcSubjects.HeartbeatCreate, {
      actor: 'alice',
      name: 'bad',
      matchers: [],
      intervalSeconds: 3600,
      schedule: { cron: '0 9 * * 1-5', durationMinutes: 30, timezone: 'Europe/Berlin' },
    });
    expect(short.error?.details?.map((d) => d.field)).toEqual(['schedule.durationMinutes']);
    const shape = await request(RpcSubjects.HeartbeatCreate, {
      actor: 'alice',
      name: 'bad',
      matchers: [],
      intervalSeconds: 0,
      severity: 'cleared',
    });
    expect(shape.error?.details?.map((d) => d.field)).toEqual(['intervalSeconds', 'severity']);

    const created = await create({
      name: 'nightly backup',
      matchers: ['source="crud"'],
      intervalSeconds: 3600,
    });
    expect(created).toMatchObject({
      name: 'nightly backup',
      createdBy: 'alice',
      severity: 'major',
      state: 'waiting',
      lastSeenAt: null,
      alertId: null,
    });
    expect(Date.parse(created.deadlineAt!) - Date.parse(created.createdAt)).toBe(3600_000);
    const { id } = created;
    expect(await heartbeat(id)).toMatchObject({ id, state: 'waiting' });

    const updated = await request(RpcSubjects.HeartbeatUpdate, {
      id,
      actor: 'bob',
      name: 'nightly backup (prod)',
      matchers: ['source="crud"', 'environment="prod"'],
      intervalSeconds: 7200,
      severity: 'critical',
      labels: { team: 'storage' },
    });
    expect(updated).toMatchObject({
      ok: true,
      data: {
        name: 'nightly backup (prod)',
        createdBy: 'alice',
        severity: 'critical',
        labels: { team: 'storage' },
      },
    });
    const listed = await request<HeartbeatV1[]>(RpcSubjects.HeartbeatList, { nameContains: 'BACKUP (PROD' });
    expect(listed.data?.map((h) => h.id)).toEqual([id]);
    expect(
      (await request<HeartbeatV1[]>(RpcSubjects.HeartbeatList, { nameContains: 'nothing' })).data,
    ).toEqual([]);
    expect(await request(RpcSubjects.HeartbeatDelete, { id, actor: 'bob' })).toMatchObject({
      ok: true,
      data: { id, deleted: true },
    });
    for (const [subject, body] of [
      [RpcSubjects.HeartbeatGet, { id }],
      [RpcSubjects.HeartbeatDelete, { id, actor: 'bob' }],
    ] as const) {
      expect(await request(subject, body)).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(
      await request(RpcSubjects.HeartbeatUpdate, {
        id,
        actor: 'bob',
        name: 'x',
        matchers: [],
        intervalSeconds: 1,
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('raises HeartbeatMissing when events stop, and resolves it when they resume', async () => {
    const created = await create({
      name: 'payments feed',
      matchers: ['source="hb-miss"', 'labels.feed="payments"'],
      intervalSeconds: 1,
      labels: { team: 'payments' },
    });
    const fingerprint = `heartbeat:${created.id}`;
    await send({ source: 'hb-miss', fingerprint: 'fp-hb-miss', labels: { feed: 'payments' } });
    await waitFor('the event counted', async () => (await heartbeat(created.id)).lastSeenAt !== null);

    const opened = await waitFor('the miss', async () => (await changesOf(fingerprint))[0]);
    expect(opened).toMatchObject({
      change: 'opened',
      notify: true,
      alert: {
        type: HEARTBEAT_MISSING_TYPE,
        status: 'open',
        severity: 'major',
        node: 'payments feed',
        labels: { team: 'payments', heartbeat: 'payments feed' },
      },
    });
    const missing = await heartbeat(created.id);
    expect(missing).toMatchObject({ state: 'missing', alertId: opened.alertId, deadlineAt: null });
    // An event that matches only some of the matchers is not the heartbeat's.
    await send({ source: 'hb-miss', fingerprint: 'fp-hb-miss', labels: { feed: 'refunds' } });
    await sleep(300);
    expect((await heartbeat(created.id)).state).toBe('missing');

    await send({ source: 'hb-miss', fingerprint: 'fp-hb-miss', labels: { feed: 'payments' } });
    const resolved = await waitFor('the recovery', async () =>
      (await changesOf(fingerprint)).find((c) => c.change === 'resolved'),
    );
    expect(resolved).toMatchObject({ alertId: opened.alertId, notify: true, alert: { status: 'resolved' } });

    // It misses again (nothing more is sent): the same alert reopens, one alert per heartbeat.
    await waitFor('the second miss', async () =>
      (await changesOf(fingerprint)).find((c) => c.change === 'reopened'),
    );
    expect(await alertsOf(created.id)).toEqual([
      { id: opened.alertId, status: 'open', type: HEARTBEAT_MISSING_TYPE, tally: 2 },
    ]);

    // Deleting a missing heartbeat resolves its alert: nothing else ever would.
    await request(RpcSubjects.HeartbeatDelete, { id: created.id, actor: 'alice' });
    const changes = await waitFor('the resolve on delete', async () => {
      const found = await changesOf(fingerprint);
      return found.length === 4 ? found : undefined;
    });
    expect(changes.map((c) => c.change)).toEqual(['opened', 'resolved', 'reopened', 'resolved']);
  });

  it('expects nothing outside its schedule', async () => {
    const now = new Date();
    const later = new Date(now.getTime() + 12 * 3600_000);
    // Daily for an hour: one window opened at the start of this minute, the other opens in 12 hours.
    const open = await create({
      name: 'inside',
      matchers: ['source="hb-sched-in"'],
      intervalSeconds: 1,
      schedule: {
        cron: `${now.getUTCMinutes()} ${now.getUTCHours()} * * *`,
        durationMinutes: 60,
        timezone: 'UTC',
      },
    });
    const closed = await create({
      name: 'outside',
      matchers: ['source="hb-sched-out"'],
      intervalSeconds: 1,
      schedule: {
        cron: `${later.getUTCMinutes()} ${later.getUTCHours()} * * *`,
        durationMinutes: 60,
        timezone: 'UTC',
      },
    });
    expect(closed.state).toBe('outside_schedule');
    await send({ source: 'hb-sched-in', fingerprint: 'fp-hb-sched' });
    await send({ source: 'hb-sched-out', fingerprint: 'fp-hb-sched' });

    await waitFor('the miss inside the schedule', async () => (await heartbeat(open.id)).state === 'missing');
    // The other's deadline moved to its next window; by now (poll every 50 ms) it would have missed.
    await sleep(500);
    const outside = await heartbeat(closed.id);
    expect(outside).toMatchObject({ state: 'outside_schedule', alertId: null });
    expect(outside.lastSeenAt).not.toBeNull();
    const windowStart = Date.UTC(
      later.getUTCFullYear(),
      later.getUTCMonth(),
      later.getUTCDate(),
      later.getUTCHours(),
      later.getUTCMinutes(),
    );
    expect(Date.parse(outside.deadlineAt!)).toBe(windowStart + 1000);
    expect(await alertsOf(closed.id)).toEqual([]);
  });
});

import { AlertChangedV1, HeartbeatV1, RpcSubjects, StreamNames, Subjects } from '@vigil/contracts';
import { startTestPlatform, TestPlatform, waitFor } from '@vigil/testing';
import { Client } from 'pg';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Each heartbeat expects an event every 3 s; the correlator is down for longer than that. */
const INTERVAL_SECONDS = 3;
const DOWN_MS = 4500;
const SEND_EVERY_MS = 500;

/**
 * Heartbeats across a SIGKILL of the correlator: deadlines are rows, so one that passed while the
 * correlator was down is judged once when it is back; events that arrived meanwhile are correlated
 * before the deadlines they move are judged, so a heartbeat whose events kept coming does not miss.
 */
describe('heartbeats across a correlator crash', () => {
  let platform: TestPlatform;
  let db: Client;
  let silent: HeartbeatV1;
  let flowing: HeartbeatV1;
  let sending = true;
  let sent = 0;
  let sender: Promise<void> | undefined;

  const rpc = async <T>(subject: string, body: unknown): Promise<T> => {
    const { connection, space } = platform.nats.client;
    const reply = (
      await connection.request(space.exact(subject), JSON.stringify(body), { timeout: 5000 })
    ).json<{ ok: boolean; data: T; error?: unknown }>();
    if (!reply.ok) throw new Error(`${subject}: ${JSON.stringify(reply.error)}`);
    return reply.data;
  };
  const send = async (source: string) => {
    const { js, space } = platform.nats.client;
    await js.publish(
      space.subject(Subjects.EventsRaw, source),
      JSON.stringify({
        source,
        node: 'hb-node',
        type: 'Tick',
        summary: 'still here',
        severity: 'indeterminate',
      }),
    );
  };
  const occurrences = async (source: string) =>
    (
      await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM correlator.event_occurrences WHERE event->>'source' = $1",
        [source],
      )
    ).rows[0].n;
  const alertsOf = async (heartbeat: HeartbeatV1) =>
    (
      await db.query<{ id: string; status: string; type: string; tally: number; sequence: number }>(
        'SELECT id, status, type, tally, sequence FROM correlator.alerts WHERE fingerprint = $1',
        [`heartbeat:${heartbeat.id}`],
      )
    ).rows;
  const changesOf = async (alertId: string) =>
    (await platform.nats.readStream(StreamNames.AlertsChanged))
      .map((m) => m.json<AlertChangedV1>())
      .filter((c) => c.alertId === alertId)
      .map((c) => c.change);

  beforeAll(async () => {
    platform = await startTestPlatform({
      env: {
        correlator: {
          HEARTBEAT_POLL_INTERVAL_MS: '200',
          HEARTBEAT_GRACE_MS: '500',
          HEARTBEAT_REFRESH_INTERVAL_MS: '500',
          OUTBOX_POLL_INTERVAL_MS: '100',
        },
      },
    });
    db = new Client({ connectionString: platform.database.url });
    await db.connect();
    const create = (name: string, matcher: string) =>
      rpc<HeartbeatV1>(RpcSubjects.HeartbeatCreate, {
        actor: 'e2e',
        name,
        matchers: [matcher],
        intervalSeconds: INTERVAL_SECONDS,
      });
    // By the subject the producer published on (as a deployment without a prefix names it).
    silent = await create('goes silent', `subject="${Subjects.EventsRaw}.hb-silent"`);
    flowing = await create('keeps flowing', 'source="hb-flowing"');

    await send('hb-silent');
    await send('hb-flowing');
    sent = 1;
    await waitFor('both first events correlated', async () => {
      const views = await Promise.all(
        [silent, flowing].map((h) => rpc<HeartbeatV1>(RpcSubjects.HeartbeatGet, { id: h.id })),
      );
      return views.every((v) => v.state === 'ok');
    });

    // Nothing in flight: a message the correlator held unacknowledged would come back only after
    // the consumer's ack wait, which is not what this test is about.
    await platform.services.correlator.kill();
    sender = (async () => {
      while (sending) {
        await sleep(SEND_EVERY_MS);
        await send('hb-flowing');
        sent++;
      }
    })();
    await sleep(DOWN_MS);
    platform.services.correlator.start();
    await platform.services.correlator.waitUntilReady();
  });

  afterAll(async () => {
    sending = false;
    await sender;
    await db?.end();
    await platform?.stop();
  });

  it('raises a miss that happened while the correlator was down exactly once, and recovers it', async () => {
    const [alert] = await waitFor('the HeartbeatMissing alert', async () => {
      const found = await alertsOf(silent);
      return found.length ? found : undefined;
    });
    expect(alert).toMatchObject({ type: 'HeartbeatMissing', status: 'open', tally: 1 });
    expect(await rpc<HeartbeatV1>(RpcSubjects.HeartbeatGet, { id: silent.id })).toMatchObject({
      state: 'missing',
      alertId: alert.id,
    });

    await send('hb-silent');
    const changes = await waitFor('the recovery', async () => {
      const found = await changesOf(alert.id);
      return found.includes('resolved') ? found : undefined;
    });
    // It misses again a few seconds later (nothing more is sent): that would be a reopen.
    expect(changes.slice(0, 2)).toEqual(['opened', 'resolved']);
    expect(await alertsOf(silent)).toHaveLength(1);
    // Notified like any alert.
    await waitFor(
      'the notifications',
      () =>
        platform.sink.requests.filter((r) => r.json<{ alert: { id: string } }>().alert.id === alert.id)
          .length >= 2,
    );
  });

  it('fakes no miss for a heartbeat whose events kept coming while the correlator was down', async () => {
    // Let events flow a little after the restart, then stop and wait until every one is correlated.
    await sleep(2 * SEND_EVERY_MS);
    sending = false;
    await sender;
    await waitFor(`all ${sent} events correlated`, async () => (await occurrences('hb-flowing')) === sent, {
      timeoutMs: 30_000,
    });
    const [{ last }] = (
      await db.query<{ last: Date }>(
        "SELECT max(received_at) AS last FROM correlator.event_occurrences WHERE event->>'source' = 'hb-flowing'",
      )
    ).rows;

    // Now that the events have stopped, the miss comes: the poll was alive all along. It is the only
    // one, for the deadline after the last event; a miss faked during the restart would have opened
    // the alert before, and this one would have reopened it.
    const [alert] = await waitFor('the miss once the events stop', async () => {
      const found = await alertsOf(flowing);
      return found.length ? found : undefined;
    });
    expect(alert).toMatchObject({ status: 'open', tally: 1 });
    // The outbox announces a change just after it commits: read the stream once all are there.
    const changes = await waitFor('the changes announced', async () => {
      const found = await changesOf(alert.id);
      return found.length >= alert.sequence ? found : undefined;
    });
    expect(changes).toEqual(['opened']);
    const view = await rpc<HeartbeatV1>(RpcSubjects.HeartbeatGet, { id: flowing.id });
    expect(view.lastSeenAt).toBe(last.toISOString());
    expect(Date.parse(view.missingSince!) - last.getTime()).toBe(INTERVAL_SECONDS * 1000);
  });
});

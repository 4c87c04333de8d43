import { AlertChangedV1, RpcSubjects, StreamNames } from '@vigil/contracts';
import { classifiedEvent, startTestService, TestService, waitFor } from '@vigil/testing';
import { DataSource } from 'typeorm';
import { CorrelationService } from '../src/alerts/correlation.service';
import { correlatorService } from '../src/service';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Timers live in Postgres: they fire in whichever replica polls next, after the process that
 * scheduled them is gone, and once. `owner` holds the database and prefix; it polls timers only
 * once a minute, so within this test only the replicas started with a short interval fire them.
 */
describe('lifecycle timers across a correlator restart (real NATS and Postgres)', () => {
  let owner: TestService;
  let db: DataSource;
  const fast = { OUTBOX_POLL_INTERVAL_MS: '50', TIMER_POLL_INTERVAL_MS: '50', REOPEN_WINDOW_SECONDS: '600' };

  const status = async (id: string) =>
    (await db.query<{ status: string }[]>('SELECT status FROM correlator.alerts WHERE id = $1', [id]))[0]
      .status;
  const actions = async (id: string) =>
    (
      await db.query<{ action: string }[]>(
        'SELECT action FROM correlator.alert_history WHERE alert_id = $1 ORDER BY sequence',
        [id],
      )
    ).map((r) => r.action);

  beforeAll(async () => {
    owner = await startTestService(correlatorService, { ...fast, TIMER_POLL_INTERVAL_MS: '60000' });
    db = owner.app.get(DataSource);
  });

  afterAll(async () => {
    await owner?.stop();
  });

  it('expires and unsnoozes alerts after the replica that scheduled them stopped, once', async () => {
    const first = await startTestService(correlatorService, fast, { shareWith: owner });
    const correlation = first.app.get(CorrelationService);
    const [expiring] = await correlation.correlate([
      {
        event: classifiedEvent({ fingerprint: 'fp-expiring', attributes: { timeoutSeconds: 2 } }),
        headers: {},
      },
    ]);
    const [snoozing] = await correlation.correlate([
      { event: classifiedEvent({ fingerprint: 'fp-snoozing' }), headers: {} },
    ]);
    if (expiring.result !== 'recorded' || snoozing.result !== 'recorded') throw new Error('not recorded');
    const reply = await first.nats.client.connection.request(
      first.nats.client.space.exact(RpcSubjects.AlertSnooze),
      JSON.stringify({
        alertId: snoozing.alertId,
        actor: 'alice',
        commandId: 'snooze-1',
        until: new Date(Date.now() + 2000).toISOString(),
      }),
      { timeout: 5000 },
    );
    expect(reply.json()).toMatchObject({ ok: true, data: { status: 'snoozed' } });
    const [timers] = await db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM correlator.timers WHERE kind IN ('expire', 'unsnooze')
          AND alert_id = ANY($1::uuid[])`,
      [[expiring.alertId, snoozing.alertId]],
    );
    expect(timers.n).toBe(3);

    await first.stop();
    await sleep(2500);
    // Due, but no replica polling: nothing fired while the correlator was down.
    expect(await status(expiring.alertId)).toBe('open');
    expect(await status(snoozing.alertId)).toBe('snoozed');

    const second = await startTestService(correlatorService, fast, { shareWith: owner });
    try {
      await waitFor('the expiry', async () => (await status(expiring.alertId)) === 'expired');
      await waitFor('the snooze end', async () => (await status(snoozing.alertId)) === 'open');
      // Give a second poll the chance to fire anything twice.
      await sleep(300);
      expect(await actions(expiring.alertId)).toEqual(['opened', 'expired']);
      expect(await actions(snoozing.alertId)).toEqual(['opened', 'snoozed', 'unsnoozed']);
      const [left] = await db.query<{ kinds: string[] }[]>(
        `SELECT array_agg(kind ORDER BY kind) AS kinds FROM correlator.timers WHERE alert_id = ANY($1::uuid[])`,
        [[expiring.alertId, snoozing.alertId]],
      );
      // What remains: the expired alert's reopen window, the unsnoozed alert's expiry.
      expect(left.kinds).toEqual(['close', 'expire']);

      const changes = await waitFor('the announcements', async () => {
        const found = (await owner.nats.readStream(StreamNames.AlertsChanged))
          .map((m) => m.json<AlertChangedV1>())
          .filter((c) => c.change === 'expired' || c.change === 'unsnoozed');
        return found.length === 2 ? found : undefined;
      });
      expect(changes.map((c) => [c.alertId, c.change, c.actor, c.notify, c.causeEventId])).toEqual(
        expect.arrayContaining([
          [expiring.alertId, 'expired', 'system', true, undefined],
          [snoozing.alertId, 'unsnoozed', 'system', true, undefined],
        ]),
      );
    } finally {
      await second.stop();
    }
  });

  it('shares due timers between replicas without firing any twice', async () => {
    const replicas = await Promise.all([
      startTestService(correlatorService, { ...fast, TIMER_POLL_INTERVAL_MS: '20' }, { shareWith: owner }),
      startTestService(correlatorService, { ...fast, TIMER_POLL_INTERVAL_MS: '20' }, { shareWith: owner }),
    ]);
    try {
      const events = Array.from({ length: 30 }, (_, i) =>
        classifiedEvent({ fingerprint: `fp-many-${i}`, attributes: { timeoutSeconds: 1 } }),
      );
      const outcomes = await replicas[0].app
        .get(CorrelationService)
        .correlate(events.map((event) => ({ event, headers: {} })));
      const ids = outcomes.map((o) => (o.result === 'recorded' ? o.alertId : ''));
      await waitFor(
        'every expiry',
        async () => {
          const [row] = await db.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM correlator.alerts WHERE id = ANY($1::uuid[]) AND status = 'expired'`,
            [ids],
          );
          return row.n === ids.length;
        },
        { timeoutMs: 10_000 },
      );
      await sleep(200);
      const [expired] = await db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM correlator.alert_history WHERE alert_id = ANY($1::uuid[]) AND action = 'expired'`,
        [ids],
      );
      expect(expired.n).toBe(ids.length);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  });
});

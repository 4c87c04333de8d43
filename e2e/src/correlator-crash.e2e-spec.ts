import { Subjects } from '@vigil/contracts';
import { startTestPlatform, TestPlatform, waitFor } from '@vigil/testing';
import { Client } from 'pg';

interface Notification {
  kind: string;
  notificationId: string;
  alert: { id: string; fingerprint: string };
}

const FINGERPRINTS = 40;
const REPEATS = 5;
const TOTAL = FINGERPRINTS * REPEATS;

/**
 * SIGKILL the correlator while events flow, restart it, and count: every accepted event is one
 * occurrence, every alert is opened and notified exactly once.
 */
describe('a correlator crash mid-stream', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('loses no event and sends no notification twice', async () => {
    const { js, space } = platform.nats.client;
    const subject = space.subject(Subjects.EventsRaw, 'crash');
    const events = Array.from({ length: TOTAL }, (_, i) => ({
      id: `crash-${i}`,
      source: 'crash',
      node: `host-${i % FINGERPRINTS}`,
      type: 'ServiceDown',
      summary: `occurrence ${Math.floor(i / FINGERPRINTS)}`,
      severity: 'critical',
    }));

    let killed = false;
    for (const [i, event] of events.entries()) {
      await js.publish(subject, JSON.stringify(event), { msgID: event.id });
      if (i === Math.floor(TOTAL / 3)) {
        // Let the pipeline get busy, then crash the correlator with no chance to clean up.
        await waitFor('the correlator to be working', async () => (await occurrences()) > 10);
        await platform.services.correlator.kill();
        killed = true;
      }
      if (i === Math.floor((2 * TOTAL) / 3)) {
        platform.services.correlator.start();
        await platform.services.correlator.waitUntilReady();
      }
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(killed).toBe(true);

    async function occurrences(): Promise<number> {
      const client = new Client({ connectionString: platform.database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM correlator.event_occurrences',
        );
        return rows[0].n;
      } finally {
        await client.end();
      }
    }

    await waitFor(`all ${TOTAL} occurrences`, async () => (await occurrences()) === TOTAL, {
      timeoutMs: 60_000,
    });
    const client = new Client({ connectionString: platform.database.url });
    await client.connect();
    const { rows: alerts } = await client.query<{ tally: number; sequence: number }>(
      "SELECT tally, sequence FROM correlator.alerts WHERE source = 'crash'",
    );
    await client.end();
    expect(alerts).toHaveLength(FINGERPRINTS);
    expect(alerts.every((a) => a.tally === REPEATS && a.sequence === 1)).toBe(true);

    await waitFor(`${FINGERPRINTS} notifications`, () => platform.sink.requests.length >= FINGERPRINTS, {
      timeoutMs: 30_000,
    });
    // Give any duplicate a chance to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const sent = platform.sink.requests.map((r) => r.json<Notification>());
    expect(sent).toHaveLength(FINGERPRINTS);
    expect(new Set(sent.map((n) => n.alert.id)).size).toBe(FINGERPRINTS);
    expect(new Set(sent.map((n) => n.notificationId)).size).toBe(FINGERPRINTS);
    expect(sent.every((n) => n.kind === 'alert.opened')).toBe(true);
  });
});

import { randomUUID } from 'node:crypto';
import { AlertChangedV1, StreamNames, Subjects } from '@vigil/contracts';
import { freePort, ServiceProcess } from '@vigil/launcher';
import { classifiedEvent, startTestPlatform, TestPlatform, waitFor } from '@vigil/testing';
import { Client } from 'pg';

const FINGERPRINTS = 200;
const EVENTS = 20_000;
const IN_FLIGHT = 256;

/** A correlator's own count of events it processed, by result, from its metrics. */
async function eventsBy(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(
    /^vigil_correlator_events_total\{[^}]*result="([^"]+)"[^}]*\} (\S+)$/gm,
  )) {
    counts[match[1]] = (counts[match[1]] ?? 0) + Number(match[2]);
  }
  return counts;
}

/**
 * A storm spread over three correlator processes sharing one durable consumer: 20,000 events on
 * 200 fingerprints. Every event is counted once, in one of 200 alerts, and each alert is announced
 * once. The events are published as classified events, straight onto the correlator's input:
 * the correlator is what is under test, and skipping ingest and the classifier keeps the run short
 * (they are covered by the pipeline and crash tests). Every event is a problem of one stable
 * severity, so each alert has exactly one transition: opened.
 */
describe('a storm over three correlator processes', () => {
  let platform: TestPlatform;
  let db: Client;
  const extra: ServiceProcess[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform();
    const first = platform.services.correlator;
    for (let i = 0; i < 2; i++) {
      extra.push(
        new ServiceProcess({ ...first.options, port: await freePort(), env: { ...first.options.env } }),
      );
    }
    for (const process of extra) process.start();
    await Promise.all(extra.map((p) => p.waitUntilReady()));
    db = new Client({ connectionString: platform.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await Promise.allSettled(extra.map((p) => p.stop()));
    await platform?.stop();
  });

  const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;

  it('counts every event once, in one alert per fingerprint, announced once each', async () => {
    const { js, space } = platform.nats.client;
    const subject = space.subject(Subjects.EventsClassified, 'os');
    const started = Date.parse('2026-05-01T00:00:00Z');
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < EVENTS) {
          const i = next++;
          const event = classifiedEvent({
            id: randomUUID(),
            source: 'storm',
            node: `host-${i % FINGERPRINTS}`,
            fingerprint: `storm-${i % FINGERPRINTS}`,
            severity: 'major',
            summary: `occurrence ${Math.floor(i / FINGERPRINTS)}`,
            occurredAt: new Date(started + i).toISOString(),
          });
          await js.publish(subject, JSON.stringify(event), { msgID: event.id });
        }
      }),
    );

    await waitFor(
      `all ${EVENTS} events recorded`,
      async () => (await count('SELECT count(*)::int AS n FROM correlator.recorded_events')) >= EVENTS,
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(await count('SELECT count(*)::int AS n FROM correlator.recorded_events')).toBe(EVENTS);
    expect(await count('SELECT count(DISTINCT event_id)::int AS n FROM correlator.event_occurrences')).toBe(
      EVENTS,
    );
    expect(await count('SELECT count(*)::int AS n FROM correlator.event_occurrences')).toBe(EVENTS);

    const { rows: alerts } = await db.query<{ id: string; tally: number; sequence: number }>(
      "SELECT id, tally, sequence FROM correlator.alerts WHERE source = 'storm'",
    );
    expect(alerts).toHaveLength(FINGERPRINTS);
    expect(alerts.reduce((sum, a) => sum + a.tally, 0)).toBe(EVENTS);
    expect(alerts.every((a) => a.tally === EVENTS / FINGERPRINTS && a.sequence === 1)).toBe(true);

    // Every committed transition reaches the stream; then count the messages per alert.
    await waitFor(
      'the outboxes to empty',
      async () => (await count('SELECT count(*)::int AS n FROM correlator.outbox')) === 0,
    );
    const changes = (await platform.nats.readStream(StreamNames.AlertsChanged)).map((m) =>
      m.json<AlertChangedV1>(),
    );
    const perAlert = new Map<string, string[]>();
    for (const change of changes)
      perAlert.set(change.alertId, [...(perAlert.get(change.alertId) ?? []), change.change]);
    expect(changes).toHaveLength(FINGERPRINTS);
    expect([...perAlert.keys()].sort()).toEqual(alerts.map((a) => a.id).sort());
    expect([...perAlert.values()].every((c) => c.length === 1 && c[0] === 'opened')).toBe(true);

    // Spread over all three processes, and each event counted as recorded by exactly one of them.
    const counts = await Promise.all([platform.services.correlator, ...extra].map((p) => eventsBy(p.url)));
    for (const processCounts of counts) expect(processCounts.recorded ?? 0).toBeGreaterThan(0);
    expect(counts.reduce((sum, c) => sum + (c.recorded ?? 0), 0)).toBe(EVENTS);
  });
});

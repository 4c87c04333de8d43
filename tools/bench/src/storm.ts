import { randomUUID } from 'node:crypto';
import { Subjects } from '@vigil/contracts';
import { freePort, ServiceProcess } from '@vigil/launcher';
import { classifiedEvent, TestPlatform } from '@vigil/testing';
import type { Pool } from 'pg';
import { perSecond } from './stats';

/** What the three-correlator storm measured. */
export interface StormResult {
  events: number;
  fingerprints: number;
  correlators: number;
  committed: number;
  alerts: number;
  elapsedMs: number;
  eventsPerSecond: number;
  /** Events each correlator process recorded, from its own counter. */
  perProcess: number[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Events a correlator process committed (recorded or cleared without an alert), from its metrics. */
export async function committedBy(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  const counted =
    /^vigil_correlator_events_total\{[^}]*result="(recorded|cleared_without_alert)"[^}]*\} (\S+)$/gm;
  for (const match of text.matchAll(counted)) total += Number(match[2]);
  return total;
}

/**
 * A storm on few fingerprints, spread over three correlator processes sharing the durable
 * consumer: the platform's correlator and two more started for the phase. Published as classified
 * events straight onto the correlator's input, so the figure is the correlators' (with Postgres),
 * not the hops before them. events/s = events ÷ (last event recorded − first publish).
 */
export async function stormPhase(
  platform: TestPlatform,
  pool: Pool,
  events: number,
  fingerprints: number,
  window: number,
): Promise<StormResult> {
  const first = platform.services.correlator;
  const extra: ServiceProcess[] = [];
  for (let i = 0; i < 2; i++) {
    extra.push(
      new ServiceProcess({ ...first.options, port: await freePort(), env: { ...first.options.env } }),
    );
  }
  try {
    for (const process of extra) process.start();
    await Promise.all(extra.map((p) => p.waitUntilReady()));
    const correlators = [first, ...extra];
    const before = await Promise.all(correlators.map((p) => committedBy(p.url)));
    const source = `storm3${Date.now().toString(36)}`;
    const { js, space } = platform.nats.client;
    const subject = space.subject(Subjects.EventsClassified, 'os');
    const ids: string[] = [];
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: window }, async () => {
        while (next < events) {
          const i = next++;
          const event = classifiedEvent({
            id: randomUUID(),
            source,
            node: `node-${i % fingerprints}`,
            fingerprint: `${source}-${i % fingerprints}`,
            severity: 'major',
            summary: `storm occurrence ${Math.floor(i / fingerprints)}`,
            occurredAt: new Date(started + i).toISOString(),
          });
          ids.push(event.id);
          await js.publish(subject, JSON.stringify(event), { msgID: event.id });
        }
      }),
    );
    const deadline = Date.now() + 600_000;
    let perProcess: number[] = [];
    for (;;) {
      const now = await Promise.all(correlators.map((p) => committedBy(p.url)));
      perProcess = now.map((n, i) => n - before[i]);
      if (perProcess.reduce((a, b) => a + b, 0) >= events || Date.now() > deadline) break;
      await sleep(200);
    }
    const { rows } = await pool.query<{ last: number; committed: number }>(
      `SELECT extract(epoch FROM max(recorded_at)) * 1000 AS last, count(*)::int AS committed
         FROM correlator.recorded_events WHERE event_id = ANY($1::text[])`,
      [ids],
    );
    const { rows: alerts } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM correlator.alerts WHERE source = $1',
      [source],
    );
    const elapsedMs = Number(rows[0].last) - started;
    return {
      events,
      fingerprints,
      correlators: correlators.length,
      committed: rows[0].committed,
      alerts: alerts[0].n,
      elapsedMs,
      eventsPerSecond: perSecond(rows[0].committed, elapsedMs),
      perProcess,
    };
  } finally {
    await Promise.allSettled(extra.map((p) => p.stop()));
  }
}

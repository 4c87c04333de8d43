import { randomUUID } from 'node:crypto';
import { RpcSubjects, Subjects } from '@vigil/contracts';
import { classifiedEvent, TestPlatform } from '@vigil/testing';
import type { Pool } from 'pg';
import { perSecond } from './stats';

/** What the incident grouping phase measured. */
export interface IncidentsResult {
  alerts: number;
  groups: number;
  /** Incidents the alerts ended in (should equal `groups`). */
  incidents: number;
  /** Alerts that reached an incident. */
  grouped: number;
  elapsedMs: number;
  alertsPerSecond: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * New alerts falling into a few groups of one correlation rule: classified events (each its own
 * fingerprint) published onto the correlator's input, de-duplicated into alerts, announced, and
 * grouped by the correlator's incident consumer. alerts/s = alerts ÷ (last incident write − first
 * publish), so it covers both of the correlator's consumers and the outbox between them.
 */
export async function incidentsPhase(
  platform: TestPlatform,
  pool: Pool,
  alerts: number,
  groups: number,
  window: number,
): Promise<IncidentsResult> {
  const source = `incidents${Date.now().toString(36)}`;
  const { connection, js, space } = platform.nats.client;
  const reply = await connection.request(
    space.exact(RpcSubjects.IncidentRuleCreate),
    JSON.stringify({
      actor: 'bench',
      rule: { name: source, matchers: [`source="${source}"`], groupBy: ['service'], windowSeconds: 3600 },
    }),
    { timeout: 10_000 },
  );
  const created = reply.json<{ ok: boolean; data?: { rule: { id: string } } }>();
  if (!created.ok || !created.data)
    throw new Error(`creating the bench's correlation rule failed: ${reply.string()}`);
  const ruleId = created.data.rule.id;
  const subject = space.subject(Subjects.EventsClassified, 'os');
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < alerts) {
        const i = next++;
        const event = classifiedEvent({
          id: randomUUID(),
          source,
          node: `node-${i}`,
          service: `service-${i % groups}`,
          fingerprint: `${source}-${i}`,
          severity: 'major',
        });
        await js.publish(subject, JSON.stringify(event), { msgID: event.id });
      }
    }),
  );
  const deadline = Date.now() + 600_000;
  const count = async () =>
    (
      await pool.query<{ grouped: number; incidents: number; last: number }>(
        `SELECT count(*)::int AS grouped, count(DISTINCT i.id)::int AS incidents,
                extract(epoch FROM max(i.updated_at)) * 1000 AS last
           FROM correlator.incident_alerts m JOIN correlator.incidents i ON i.id = m.incident_id
          WHERE i.rule_id = $1`,
        [ruleId],
      )
    ).rows[0];
  let state = await count();
  while (state.grouped < alerts && Date.now() < deadline) {
    await sleep(200);
    state = await count();
  }
  const elapsedMs = Number(state.last) - started;
  return {
    alerts,
    groups,
    incidents: state.incidents,
    grouped: state.grouped,
    elapsedMs,
    alertsPerSecond: perSecond(state.grouped, elapsedMs),
  };
}

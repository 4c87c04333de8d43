import { AlertChangedV1, ClassifiedEventV1, StreamNames, Subjects, validatePlain } from '@vigil/contracts';
import { classifiedEvent, startTestService, TestNats, TestService, waitFor } from '@vigil/testing';
import { DataSource } from 'typeorm';
import { CorrelationService } from '../src/alerts/correlation.service';
import { correlatorService } from '../src/service';

describe('correlator (real NATS and Postgres)', () => {
  let service: TestService;
  let nats: TestNats;
  let correlation: CorrelationService;
  let db: DataSource;

  const alertRow = async (fingerprint: string) => {
    const rows = await db.query<
      { id: string; status: string; tally: number; severity: string; sequence: number }[]
    >('SELECT id, status, tally, severity, sequence FROM correlator.alerts WHERE fingerprint = $1', [
      fingerprint,
    ]);
    return rows[0];
  };
  const changes = async (alertId?: string) =>
    (await nats.readStream(StreamNames.AlertsChanged))
      .map((m) => m.json<AlertChangedV1>())
      .filter((c) => !alertId || c.alertId === alertId);

  /** One event, alone in its batch. */
  const correlateOne = async (event: ClassifiedEventV1, headers: Record<string, string> = {}) =>
    (await correlation.correlate([{ event, headers }]))[0];

  beforeAll(async () => {
    service = await startTestService(correlatorService, { OUTBOX_POLL_INTERVAL_MS: '50' });
    nats = service.nats;
    correlation = service.app.get(CorrelationService);
    db = service.app.get(DataSource);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('opens an alert for a new fingerprint and announces it once through the outbox', async () => {
    const event = classifiedEvent({ fingerprint: 'fp-open' });
    const outcome = await correlateOne(event, {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(outcome).toMatchObject({ result: 'recorded', change: 'opened' });
    const alert = await alertRow('fp-open');
    expect(alert).toMatchObject({ status: 'open', tally: 1, sequence: 1 });

    const [message] = await waitFor('the relay', async () => {
      const found = await changes(alert.id);
      return found.length ? found : undefined;
    });
    expect(message).toMatchObject({
      change: 'opened',
      sequence: 1,
      causeEventId: event.id,
      alert: { tally: 1 },
    });
    await waitFor('the outbox to empty', async () => {
      const [row] = await db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM correlator.outbox');
      return row.n === 0;
    });
    const [stored] = await nats.readStream(StreamNames.AlertsChanged);
    expect(stored.headers?.get('traceparent')).toBe(
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    );
    expect(stored.headers?.get('Nats-Msg-Id')).toBe(`alert:${alert.id}:1`);
  });

  it('counts repeats into the same alert without announcing them', async () => {
    await correlateOne(classifiedEvent({ fingerprint: 'fp-repeat' }));
    const outcome = await correlateOne(classifiedEvent({ fingerprint: 'fp-repeat' }));
    expect(outcome).toMatchObject({ result: 'recorded' });
    expect(outcome).not.toHaveProperty('change', expect.anything());
    const alert = await alertRow('fp-repeat');
    expect(alert).toMatchObject({ tally: 2, sequence: 1 });
  });

  it('carries the latest event priority and team onto the alert and its snapshots', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 4, 1, 12, minute)).toISOString();
    const fingerprint = 'fp-priority-team';
    await correlateOne(classifiedEvent({ fingerprint, occurredAt: at(0), priority: 'P3', team: 'db' }));
    const { id } = await alertRow(fingerprint);
    // No team on this one: the alert keeps `db`; its priority is the latest event's.
    await correlateOne(
      classifiedEvent({ fingerprint, occurredAt: at(1), severity: 'critical', priority: 'P1' }),
    );
    // Older than the latest occurrence: counted, but it rewrites neither priority nor team.
    await correlateOne(classifiedEvent({ fingerprint, occurredAt: at(0), priority: 'P5', team: 'web' }));
    await correlateOne(
      classifiedEvent({ fingerprint, occurredAt: at(2), severity: 'minor', priority: 'P4', team: 'storage' }),
    );

    const [row] = await db.query<{ priority: string; team: string; tally: number }[]>(
      'SELECT priority, team, tally FROM correlator.alerts WHERE id = $1',
      [id],
    );
    expect(row).toEqual({ priority: 'P4', team: 'storage', tally: 4 });
    const announced = await waitFor('three changes', async () => {
      const found = await changes(id);
      return found.length === 3 ? found : undefined;
    });
    expect(announced.map((c) => [c.change, c.alert.severity, c.alert.priority, c.alert.team])).toEqual([
      ['opened', 'major', 'P3', 'db'],
      ['severity_changed', 'critical', 'P1', 'db'],
      ['severity_changed', 'minor', 'P4', 'storage'],
    ]);
    for (const change of announced) expect(validatePlain(AlertChangedV1, change)).toMatchObject({ ok: true });
  });

  it('keeps with each occurrence the rule set version and the rules that classified it', async () => {
    const event = classifiedEvent({
      fingerprint: 'fp-rules',
      classification: { ruleSet: 'main', ruleSetVersion: '7', matchedRules: ['disk-full', 'owner-storage'] },
    });
    await correlateOne(event);
    const [row] = await db.query<{ rule_set: string; rule_set_version: string; matched_rules: string[] }[]>(
      'SELECT rule_set, rule_set_version, matched_rules FROM correlator.event_occurrences WHERE event_id = $1',
      [event.id],
    );
    expect(row).toEqual({
      rule_set: 'main',
      rule_set_version: '7',
      matched_rules: ['disk-full', 'owner-storage'],
    });
  });

  it('recognises a redelivered event and changes nothing', async () => {
    const event = classifiedEvent({ fingerprint: 'fp-redelivered' });
    await correlateOne(event);
    expect(await correlateOne(event)).toEqual({ result: 'duplicate' });
    expect(await alertRow('fp-redelivered')).toMatchObject({ tally: 1 });
    const [occurrences] = await db.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM correlator.event_occurrences WHERE fingerprint = $1',
      ['fp-redelivered'],
    );
    expect(occurrences.n).toBe(1);
  });

  it('resolves on a cleared event, and records a clear that matches no alert', async () => {
    await correlateOne(classifiedEvent({ fingerprint: 'fp-clear' }));
    const outcome = await correlateOne(classifiedEvent({ fingerprint: 'fp-clear', severity: 'cleared' }));
    expect(outcome).toMatchObject({ result: 'recorded', change: 'resolved' });
    const alert = await alertRow('fp-clear');
    expect(alert).toMatchObject({ status: 'resolved', tally: 1, sequence: 2 });
    const announced = await waitFor('both changes', async () => {
      const found = await changes(alert.id);
      return found.length === 2 ? found : undefined;
    });
    expect(announced.map((c) => [c.sequence, c.change])).toEqual([
      [1, 'opened'],
      [2, 'resolved'],
    ]);

    const orphan = classifiedEvent({ fingerprint: 'fp-never-seen', severity: 'cleared' });
    expect(await correlateOne(orphan)).toEqual({ result: 'cleared_without_alert' });
    expect(await alertRow('fp-never-seen')).toBeUndefined();
  });

  it('keeps the tally exact when many events of one new fingerprint arrive at once', async () => {
    const events = Array.from({ length: 40 }, () => classifiedEvent({ fingerprint: 'fp-storm' }));
    const outcomes = await Promise.all(events.map((e) => correlateOne(e)));
    expect(outcomes.filter((o) => o.result === 'recorded' && o.change === 'opened')).toHaveLength(1);
    expect(await alertRow('fp-storm')).toMatchObject({ tally: 40, sequence: 1 });
  });

  it('applies a batch in order: one alert opened, counted and resolved, each change announced with its state', async () => {
    const at = (second: number) => new Date(Date.UTC(2026, 4, 1, 12, 0, second)).toISOString();
    const events = [
      classifiedEvent({ fingerprint: 'fp-batch', occurredAt: at(1) }),
      classifiedEvent({ fingerprint: 'fp-batch', occurredAt: at(2), severity: 'critical' }),
      classifiedEvent({ fingerprint: 'fp-batch', occurredAt: at(3) }),
      classifiedEvent({ fingerprint: 'fp-batch', occurredAt: at(4), severity: 'cleared' }),
    ];
    const outcomes = await correlation.correlate(events.map((event) => ({ event, headers: {} })));
    expect(outcomes.map((o) => (o.result === 'recorded' ? (o.change ?? 'counted') : o.result))).toEqual([
      'opened',
      'severity_changed',
      'severity_changed',
      'resolved',
    ]);
    const alert = await alertRow('fp-batch');
    expect(alert).toMatchObject({ status: 'resolved', tally: 3, sequence: 4, severity: 'major' });
    const announced = await waitFor('four changes', async () => {
      const found = await changes(alert.id);
      return found.length === 4 ? found : undefined;
    });
    expect(announced.map((c) => [c.sequence, c.change, c.alert.status, c.alert.tally])).toEqual([
      [1, 'opened', 'open', 1],
      [2, 'severity_changed', 'open', 2],
      [3, 'severity_changed', 'open', 3],
      [4, 'resolved', 'resolved', 3],
    ]);
  });

  it('counts an event delivered twice in one batch, or in two batches at once, once', async () => {
    const event = classifiedEvent({ fingerprint: 'fp-twice' });
    const [first, second] = await correlation.correlate([
      { event, headers: {} },
      { event, headers: {} },
    ]);
    expect([first.result, second.result]).toEqual(['recorded', 'duplicate']);
    const again = classifiedEvent({ fingerprint: 'fp-twice' });
    const results = await Promise.all([
      correlation.correlate([{ event: again, headers: {} }]),
      correlation.correlate([{ event: again, headers: {} }]),
    ]);
    expect(
      results
        .flat()
        .map((o) => o.result)
        .sort(),
    ).toEqual(['duplicate', 'recorded']);
    expect(await alertRow('fp-twice')).toMatchObject({ tally: 2 });
  });

  it('keeps tallies exact when concurrent batches share new and existing fingerprints', async () => {
    const fingerprints = Array.from({ length: 20 }, (_, i) => `fp-shared-${i}`);
    const batches = Array.from({ length: 4 }, () =>
      fingerprints.flatMap((fingerprint) => [
        classifiedEvent({ fingerprint }),
        classifiedEvent({ fingerprint }),
      ]),
    );
    const results = await Promise.all(
      batches.map((batch) => correlation.correlate(batch.map((event) => ({ event, headers: {} })))),
    );
    const opened = results.flat().filter((o) => o.result === 'recorded' && o.change === 'opened');
    expect(opened).toHaveLength(fingerprints.length);
    for (const fingerprint of fingerprints)
      expect(await alertRow(fingerprint)).toMatchObject({ tally: 8, sequence: 1 });
  });

  it('consumes classified events from JetStream and acknowledges them after the commit', async () => {
    const event = classifiedEvent({ fingerprint: 'fp-stream', severity: 'critical' });
    await nats.client.js.publish(
      nats.client.space.subject(Subjects.EventsClassified, 'os'),
      JSON.stringify(event),
      {
        msgID: event.id,
      },
    );
    const alert = await waitFor('the alert', () => alertRow('fp-stream'));
    expect(alert).toMatchObject({ status: 'open', severity: 'critical', tally: 1 });
    await waitFor('the ack', async () => {
      const info = await nats.client.jsm.consumers.info(
        nats.client.space.stream(StreamNames.EventsClassified),
        'correlator-classified',
      );
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
  });
});

import { classifiedEvent, startTestService, TestService } from '@vigil/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AlertsRepository, ConcurrentWriteError } from '../src/alerts/alerts.repository';
import type { BatchPlan } from '../src/alerts/batch-plan';
import { CorrelationService } from '../src/alerts/correlation.service';
import { HOUSEKEEPING_LOCK_KEY } from '../src/housekeeping/housekeeping.repository';
import {
  HousekeepingPass,
  HousekeepingService,
  PARTITIONS_AHEAD,
} from '../src/housekeeping/housekeeping.service';
import { addDays, partitionName, utcDay } from '../src/housekeeping/retention-plan';
import { correlatorService } from '../src/service';

const DAY_MS = 86_400_000;

describe('correlator housekeeping (real Postgres)', () => {
  let first: TestService;
  let second: TestService;
  let db: DataSource;

  const housekeeping = (service: TestService) => service.app.get(HousekeepingService);
  const partitions = async () =>
    (
      await db.query<{ name: string }[]>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'correlator.event_occurrences'::regclass ORDER BY 1`,
      )
    ).map((r) => r.name);
  const count = async (sql: string, params: unknown[] = []) =>
    (await db.query<{ n: number }[]>(sql, params))[0].n;
  const insertOccurrence = (eventId: string, recordedAt: Date) =>
    db.query(
      `INSERT INTO correlator.event_occurrences (event_id, fingerprint, severity, summary, occurred_at, received_at,
         recorded_at, event)
       VALUES ($1, 'fp-hk', 'major', 's', $2, $2, $2, '{}')`,
      [eventId, recordedAt],
    );
  const expectClean = (pass: HousekeepingPass) => expect(pass.failures).toEqual([]);

  beforeAll(async () => {
    const env = { HOUSEKEEPING_INTERVAL_MS: '3600000', OCCURRENCE_RETENTION_DAYS: '30' };
    first = await startTestService(correlatorService, env);
    second = await startTestService(correlatorService, env, { shareWith: first });
    db = first.app.get(DataSource);
  });

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('has today and the next days partitioned once started, and creates the days ahead of any date', async () => {
    const today = utcDay(new Date());
    const names = await partitions();
    for (let offset = 0; offset <= PARTITIONS_AHEAD; offset++) {
      expect(names).toContain(partitionName(addDays(today, offset)));
    }
    expect(names).toContain('event_occurrences_default');

    const later = addDays(today, 5);
    const pass = await housekeeping(first).runPass(later);
    expectClean(pass);
    expect(pass.created).toEqual([0, 1, 2].map((d) => partitionName(addDays(later, d))));
    const [bounds] = await db.query<{ bound: string }[]>(
      `SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE relname = $1`,
      [partitionName(later)],
    );
    expect(bounds.bound).toMatch(/^FOR VALUES FROM \('.+'\) TO \('.+'\)$/);
    // The partition takes exactly its UTC day.
    await insertOccurrence('hk-edge-first', later);
    await insertOccurrence('hk-edge-last', new Date(later.getTime() + DAY_MS - 1));
    expect(
      await count(
        `SELECT count(*)::int AS n FROM correlator.${partitionName(later)} WHERE event_id LIKE 'hk-edge-%'`,
      ),
    ).toBe(2);
  });

  it('never refuses an occurrence for lack of a partition, and moves it out of the default when its day comes', async () => {
    const far = addDays(utcDay(new Date()), 12);
    await insertOccurrence('hk-far', new Date(far.getTime() + 3_600_000));
    expect(await count(`SELECT count(*)::int AS n FROM correlator.event_occurrences_default`)).toBe(1);

    const pass = await housekeeping(first).runPass(far);
    expectClean(pass);
    expect(pass.movedFromDefault).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM correlator.event_occurrences_default`)).toBe(0);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM correlator.${partitionName(far)} WHERE event_id = 'hk-far'`,
      ),
    ).toBe(1);
  });

  it('drops the partitions past retention and forgets their event ids, keeping the recent ones', async () => {
    const old = addDays(utcDay(new Date()), -40);
    const oldName = partitionName(old);
    await db.query(
      `CREATE TABLE correlator.${oldName} PARTITION OF correlator.event_occurrences
         FOR VALUES FROM ('${old.toISOString()}') TO ('${addDays(old, 1).toISOString()}')`,
    );
    await insertOccurrence('hk-old', new Date(old.getTime() + 1000));
    await db.query(
      `INSERT INTO correlator.recorded_events (event_id, recorded_at) VALUES ('hk-old', $1), ('hk-recent', now())`,
      [new Date(old.getTime() + 1000)],
    );

    const pass = await housekeeping(first).runPass();
    expectClean(pass);
    expect(pass.dropped).toEqual([oldName]);
    expect(await partitions()).not.toContain(oldName);
    expect(
      await count(`SELECT count(*)::int AS n FROM correlator.event_occurrences WHERE event_id = 'hk-old'`),
    ).toBe(0);
    expect(pass.prunedRecordedEvents).toBe(1);
    const ids = await db.query<{ event_id: string }[]>(
      `SELECT event_id FROM correlator.recorded_events WHERE event_id LIKE 'hk-%' ORDER BY 1`,
    );
    expect(ids.map((r) => r.event_id)).toEqual(['hk-recent']);
  });

  it('archives closed alerts older than the archive days, and only those', async () => {
    const insertAlert = (fingerprint: string, status: string, daysAgo: number) =>
      db.query<{ id: string }[]>(
        `INSERT INTO correlator.alerts (fingerprint, status, severity, tally, first_occurrence, last_occurrence,
           summary, node, source, type, category, last_event_id, sequence, updated_at)
         VALUES ($1, $2, 'major', 3, now(), now(), 's', 'n', 'src', 't', 'os', 'e', 2, now() - make_interval(days => $3))
         RETURNING id`,
        [fingerprint, status, daysAgo],
      );
    const [due] = await insertAlert('fp-closed-old', 'closed', 100);
    await db.query(
      `INSERT INTO correlator.alert_history (alert_id, sequence, at, actor, action, from_status, to_status)
       VALUES ($1, 1, now(), 'system', 'closed', 'resolved', 'closed')`,
      [due.id],
    );
    await insertAlert('fp-closed-recent', 'closed', 10);
    await insertAlert('fp-resolved-old', 'resolved', 100);

    const pass = await housekeeping(first).runPass();
    expectClean(pass);
    expect(pass.archivedAlerts).toBe(1);
    const live = await db.query<{ fingerprint: string }[]>(
      `SELECT fingerprint FROM correlator.alerts WHERE fingerprint LIKE 'fp-%-%' ORDER BY 1`,
    );
    expect(live.map((a) => a.fingerprint)).toEqual(['fp-closed-recent', 'fp-resolved-old']);
    const archived = await db.query<{ id: string; tally: number; sequence: number; archived_at: Date }[]>(
      `SELECT id, tally, sequence, archived_at FROM correlator.alerts_archive`,
    );
    expect(archived).toEqual([{ id: due.id, tally: 3, sequence: 2, archived_at: expect.any(Date) }]);
    // The audit trail outlives the alert row.
    expect(
      await count(`SELECT count(*)::int AS n FROM correlator.alert_history WHERE alert_id = '${due.id}'`),
    ).toBe(1);
  });

  it('still recognises a redelivered event, and a concurrent recording of it makes the batch plan again', async () => {
    const correlation = first.app.get(CorrelationService);
    const event = classifiedEvent({ fingerprint: 'fp-hk-redelivered' });
    expect((await correlation.correlate([{ event, headers: {} }]))[0]).toMatchObject({ result: 'recorded' });
    await housekeeping(first).runPass();
    expect(await second.app.get(CorrelationService).correlate([{ event, headers: {} }])).toEqual([
      { result: 'duplicate' },
    ]);
    expect(
      await count(`SELECT count(*)::int AS n FROM correlator.event_occurrences WHERE event_id = $1`, [
        event.id,
      ]),
    ).toBe(1);
    expect(
      await count(`SELECT tally AS n FROM correlator.alerts WHERE fingerprint = 'fp-hk-redelivered'`),
    ).toBe(1);

    // A plan made as if the event were new (another replica committed it after this one looked):
    // the write records fewer occurrences than planned and refuses, writing nothing.
    const alert = (
      await db.query<{ id: string }[]>(
        `SELECT id FROM correlator.alerts WHERE fingerprint = 'fp-hk-redelivered'`,
      )
    )[0];
    const stale: BatchPlan = {
      inserts: [],
      updates: [],
      occurrences: [{ event, alertId: alert.id }],
      outbox: [],
      outcomes: [],
    };
    await expect(first.app.get(AlertsRepository).transaction((tx) => tx.write(stale))).rejects.toBeInstanceOf(
      ConcurrentWriteError,
    );
    expect(
      await count(`SELECT count(*)::int AS n FROM correlator.alerts WHERE fingerprint = 'fp-hk-redelivered'`),
    ).toBe(1);
  });

  it('lets two correlators run housekeeping at once without conflict, one pass at a time', async () => {
    const later = addDays(utcDay(new Date()), 20);
    const passes = await Promise.all([
      housekeeping(first).runPass(later),
      housekeeping(second).runPass(later),
    ]);
    passes.forEach(expectClean);
    expect(passes.some((p) => p.ran)).toBe(true);
    // Whether they overlapped or not, each day was created by exactly one of them.
    const created = passes.flatMap((p) => p.created).sort();
    expect(created).toEqual([0, 1, 2].map((d) => partitionName(addDays(later, d))));

    // While another session holds the pass lock, neither runs a pass.
    const holder = new Client({ connectionString: first.database.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [HOUSEKEEPING_LOCK_KEY]);
      const skipped = await Promise.all([
        housekeeping(first).runPass(addDays(later, 10)),
        housekeeping(second).runPass(addDays(later, 10)),
      ]);
      expect(skipped.map((p) => p.ran)).toEqual([false, false]);
      expect(await partitions()).not.toContain(partitionName(addDays(later, 10)));
    } finally {
      await holder.end();
    }
  });
});

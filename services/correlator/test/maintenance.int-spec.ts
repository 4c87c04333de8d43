import { AlertChangedV1, RpcSubject, RpcSubjects, StreamNames } from '@vigil/contracts';
import { classifiedEvent, startTestService, TestService, waitFor } from '@vigil/testing';
import { CorrelationService } from '../src/alerts/correlation.service';
import { correlatorService } from '../src/service';

/** Maintenance windows and inhibition through NATS, Postgres and the timers (real services). */
describe('maintenance windows and inhibition (real NATS and Postgres)', () => {
  let svc: TestService;

  const request = async (subject: RpcSubject, body: unknown) => {
    const reply = await svc.nats.client.connection.request(
      svc.nats.client.space.exact(subject),
      JSON.stringify(body),
      { timeout: 5000 },
    );
    return reply.json<{
      ok: boolean;
      data?: Record<string, unknown>;
      error?: { code: string; details?: unknown };
    }>();
  };
  const changesOf = async (alertId: string) =>
    (await svc.nats.readStream(StreamNames.AlertsChanged))
      .map((m) => m.json<AlertChangedV1>())
      .filter((c) => c.alertId === alertId)
      .sort((a, b) => a.sequence - b.sequence);
  const open = async (event: Parameters<typeof classifiedEvent>[0]) => {
    const [outcome] = await svc.app
      .get(CorrelationService)
      .correlate([{ event: classifiedEvent(event), headers: {} }]);
    if (outcome.result !== 'recorded') throw new Error('not recorded');
    return outcome.alertId;
  };

  beforeAll(async () => {
    svc = await startTestService(correlatorService, {
      OUTBOX_POLL_INTERVAL_MS: '50',
      TIMER_POLL_INTERVAL_MS: '50',
      MAINTENANCE_ENDING_NOTICE_SECONDS: '1',
    });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('creates, reads, updates and deletes windows; faults name their field', async () => {
    const bad = await request(RpcSubjects.MaintenanceWindowCreate, {
      actor: 'alice',
      name: 'bad',
      matchers: ['service="db"', 'not a matcher'],
      window: { rrule: 'FREQ=SOMETIMES', durationMinutes: 10, timezone: 'Europe/Berlin' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const fields = (bad.error?.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['matchers[1]', 'window.rrule']));

    const created = await request(RpcSubjects.MaintenanceWindowCreate, {
      actor: 'alice',
      name: 'db upgrade',
      matchers: ['service="nothing-matches"'],
      window: { start: '2030-01-01T00:00:00Z', end: '2030-01-01T01:00:00Z' },
    });
    expect(created).toMatchObject({
      ok: true,
      data: { name: 'db upgrade', createdBy: 'alice', active: false },
    });
    const id = created.data?.id as string;
    expect(await request(RpcSubjects.MaintenanceWindowGet, { id })).toMatchObject({ ok: true, data: { id } });
    const updated = await request(RpcSubjects.MaintenanceWindowUpdate, {
      id,
      actor: 'bob',
      name: 'db upgrade (moved)',
      matchers: ['service="nothing-matches"'],
      window: { start: '2030-01-02T00:00:00Z', end: '2030-01-02T01:00:00Z' },
    });
    expect(updated).toMatchObject({ ok: true, data: { name: 'db upgrade (moved)', createdBy: 'alice' } });
    const list = await request(RpcSubjects.MaintenanceWindowList, {});
    expect((list.data as unknown as { id: string }[]).map((w) => w.id)).toContain(id);
    expect(await request(RpcSubjects.MaintenanceWindowDelete, { id, actor: 'bob' })).toMatchObject({
      ok: true,
      data: { deleted: true },
    });
    expect(await request(RpcSubjects.MaintenanceWindowGet, { id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('suppresses a firing alert and one born in the window, notices the end, then releases them', async () => {
    const before = await open({ fingerprint: 'fp-mw-before', service: 'mw-db' });
    const start = new Date(Date.now() + 500);
    const created = await request(RpcSubjects.MaintenanceWindowCreate, {
      actor: 'alice',
      name: 'short',
      matchers: ['service="mw-db"'],
      window: { start: start.toISOString(), end: new Date(start.getTime() + 3000).toISOString() },
    });
    expect(created.ok).toBe(true);
    await waitFor(
      'the window start',
      async () => (await changesOf(before)).some((c) => c.change === 'suppressed') || undefined,
    );
    const born = await open({ fingerprint: 'fp-mw-born', service: 'mw-db' });
    for (const id of [before, born]) {
      const changes = await waitFor('the release', async () => {
        const found = await changesOf(id);
        return found.some((c) => c.change === 'released') ? found : undefined;
      });
      const tail = changes.map((c) => [c.change, c.notify, c.quietReason]);
      expect(tail).toEqual([
        ['opened', id === before, id === before ? undefined : 'maintenance'],
        ...(id === before ? [['suppressed', false, 'maintenance']] : []),
        ['maintenance_ending', true, undefined],
        ['released', true, undefined],
      ]);
    }
  });

  it('starts and ends a recurring window in a non-UTC zone by its timers', async () => {
    const id = await open({ fingerprint: 'fp-mw-recurring', service: 'mw-rrule' });
    // Daily, one minute long, in New York, having started 57 seconds ago: active now, over in 3 s.
    // (The daylight-saving arithmetic is unit-tested with fixed instants in silence-set.spec.ts.)
    const zone = 'America/New_York';
    const startedAt = new Date(Date.now() - 57_000);
    const wall = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(startedAt)
      .reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.type]: Number(p.value) }), {});
    const created = await request(RpcSubjects.MaintenanceWindowCreate, {
      actor: 'alice',
      name: 'recurring',
      matchers: ['service="mw-rrule"'],
      window: {
        rrule: `FREQ=DAILY;BYHOUR=${wall.hour};BYMINUTE=${wall.minute};BYSECOND=${wall.second}`,
        durationMinutes: 1,
        timezone: zone,
      },
    });
    expect(created).toMatchObject({ ok: true, data: { active: true } });
    const changes = await waitFor('the release', async () => {
      const found = await changesOf(id);
      return found.some((c) => c.change === 'released') ? found : undefined;
    });
    expect(changes.map((c) => c.change)).toEqual(['opened', 'suppressed', 'maintenance_ending', 'released']);
    // The next occurrence, a day later, is the window's next timer.
    const next = await request(RpcSubjects.MaintenanceWindowGet, { id: created.data?.id });
    expect(next).toMatchObject({ ok: true, data: { active: false } });
    expect(new Date(next.data?.nextChange as string).getTime() - startedAt.getTime()).toBeGreaterThan(
      23 * 3600_000,
    );
    await request(RpcSubjects.MaintenanceWindowDelete, { id: created.data?.id, actor: 'alice' });
  });

  it('inhibits a target while its source fires, and releases it when the source resolves', async () => {
    const rule = await request(RpcSubjects.InhibitRuleCreate, {
      actor: 'alice',
      name: 'node down mutes its disks',
      sourceMatchers: ['type="InhNodeDown"'],
      targetMatchers: ['type="InhDiskFull"'],
      equal: ['node'],
    });
    expect(rule.ok).toBe(true);
    const badRule = await request(RpcSubjects.InhibitRuleCreate, {
      actor: 'alice',
      name: 'bad',
      sourceMatchers: ['type=~"("'],
      targetMatchers: [],
      equal: [],
    });
    expect((badRule.error?.details as { field: string }[]).map((d) => d.field)).toEqual([
      'sourceMatchers[0]',
    ]);

    const source = await open({ fingerprint: 'fp-inh-src', type: 'InhNodeDown', node: 'inh-1' });
    const target = await open({ fingerprint: 'fp-inh-tgt', type: 'InhDiskFull', node: 'inh-1' });
    const other = await open({ fingerprint: 'fp-inh-other', type: 'InhDiskFull', node: 'inh-2' });
    const opened = await waitFor('the target opened', async () => (await changesOf(target))[0]);
    expect([opened.change, opened.notify, opened.quietReason, opened.alert.inhibitedBy]).toEqual([
      'opened',
      false,
      'inhibited',
      source,
    ]);
    expect((await waitFor('other', async () => (await changesOf(other))[0])).notify).toBe(true);

    await svc.app.get(CorrelationService).correlate([
      {
        event: classifiedEvent({
          fingerprint: 'fp-inh-src',
          type: 'InhNodeDown',
          node: 'inh-1',
          severity: 'cleared',
        }),
        headers: {},
      },
    ]);
    const released = await waitFor('the release', async () =>
      (await changesOf(target)).find((c) => c.change === 'released'),
    );
    expect(released.notify).toBe(true);
    expect(released.alert.inhibitedBy).toBeUndefined();
    await request(RpcSubjects.InhibitRuleDelete, { id: rule.data?.id, actor: 'alice' });
  });
});

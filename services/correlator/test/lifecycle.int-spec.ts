import {
  AlertChangedV1,
  AlertCommandReplyV1,
  ClassifiedEventV1,
  RpcEnvelope,
  RpcSubject,
  RpcSubjects,
  StreamNames,
} from '@vigil/contracts';
import { classifiedEvent, startTestService, TestNats, TestService, waitFor } from '@vigil/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CorrelationService } from '../src/alerts/correlation.service';
import { correlatorService } from '../src/service';

const PAIRING = [
  { problem: 'LinkDown', resolution: 'LinkUp', match: ['node', 'labels.ifname'] },
  { problem: 'NodeDown', resolution: 'NodeUp' },
];

describe('alert lifecycle (real NATS and Postgres)', () => {
  let service: TestService;
  let nats: TestNats;
  let correlation: CorrelationService;
  let db: DataSource;

  interface AlertRow {
    id: string;
    status: string;
    severity: string;
    tally: number;
    sequence: number;
    assignee: string | null;
    flapping: boolean;
    trend: string;
  }
  const liveAlert = async (fingerprint: string) =>
    (
      await db.query<AlertRow[]>(
        `SELECT id, status, severity, tally, sequence, assignee, flapping, trend FROM correlator.alerts
          WHERE fingerprint = $1 ORDER BY created_at DESC`,
        [fingerprint],
      )
    )[0];
  const alertById = async (id: string) =>
    (await db.query<AlertRow[]>('SELECT * FROM correlator.alerts WHERE id = $1', [id]))[0];
  const history = (alertId: string) =>
    db.query<
      {
        sequence: number;
        actor: string;
        action: string;
        from_status: string | null;
        to_status: string;
        reason: string | null;
        event_id: string | null;
        command_id: string | null;
        details: Record<string, unknown>;
      }[]
    >('SELECT * FROM correlator.alert_history WHERE alert_id = $1 ORDER BY sequence', [alertId]);
  const changes = async (alertId: string) =>
    (await nats.readStream(StreamNames.AlertsChanged))
      .map((m) => m.json<AlertChangedV1>())
      .filter((c) => c.alertId === alertId);
  const announced = (alertId: string, count: number) =>
    waitFor(`${count} changes of ${alertId}`, async () => {
      const found = await changes(alertId);
      return found.length >= count ? found : undefined;
    });
  const correlate = async (...events: ClassifiedEventV1[]) =>
    correlation.correlate(events.map((event) => ({ event, headers: {} })));
  const open = async (fingerprint: string, overrides: Partial<ClassifiedEventV1> = {}) => {
    await correlate(classifiedEvent({ fingerprint, ...overrides }));
    return (await liveAlert(fingerprint)).id;
  };
  const ask = async (subject: RpcSubject, body: Record<string, unknown>) => {
    const reply = await nats.client.connection.request(
      nats.client.space.exact(subject),
      JSON.stringify(body),
      {
        timeout: 5000,
      },
    );
    return reply.json<RpcEnvelope<AlertCommandReplyV1>>();
  };
  const command = (subject: RpcSubject, alertId: string, extra: Record<string, unknown> = {}) =>
    ask(subject, { alertId, actor: 'alice', commandId: randomUUID(), ...extra });

  beforeAll(async () => {
    service = await startTestService(correlatorService, {
      OUTBOX_POLL_INTERVAL_MS: '50',
      TIMER_POLL_INTERVAL_MS: '50',
      REOPEN_WINDOW_SECONDS: '2',
      FLAP_THRESHOLD: '3',
      FLAP_WINDOW_SECONDS: '2',
      CORRELATOR_PAIRING_RULES: JSON.stringify(PAIRING),
    });
    nats = service.nats;
    correlation = service.app.get(CorrelationService);
    db = service.app.get(DataSource);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it("finds the live alert of a fingerprint, so a producer's own key can reach it", async () => {
    const id = await open('fp-find');
    expect(await ask(RpcSubjects.AlertFindByFingerprint, { fingerprint: 'fp-find' })).toEqual({
      ok: true,
      data: { alertId: id, status: 'open' },
    });
    expect(await ask(RpcSubjects.AlertFindByFingerprint, { fingerprint: 'fp-nobody' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/fp-nobody/) },
    });
    expect(await ask(RpcSubjects.AlertFindByFingerprint, {})).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', details: [{ field: 'fingerprint' }] },
    });
  });

  it('runs every command through NATS, recording each change in the history and announcing it', async () => {
    const id = await open('fp-commands');
    const ok = (data: Partial<AlertCommandReplyV1>) => ({ ok: true, data: expect.objectContaining(data) });

    expect(await command(RpcSubjects.AlertAcknowledge, id, { reason: 'on it' })).toEqual(
      ok({ changed: true, change: 'acknowledged', status: 'acknowledged', sequence: 2, replayed: false }),
    );
    expect(await command(RpcSubjects.AlertAcknowledge, id)).toEqual(
      ok({ changed: false, change: null, status: 'acknowledged', sequence: 2 }),
    );
    expect(await command(RpcSubjects.AlertUnacknowledge, id)).toEqual(
      ok({ change: 'unacknowledged', status: 'open' }),
    );
    expect(await command(RpcSubjects.AlertAssign, id, { assignee: 'bob' })).toEqual(
      ok({ change: 'assigned' }),
    );
    expect((await liveAlert('fp-commands')).assignee).toBe('bob');
    expect(await command(RpcSubjects.AlertAssign, id, { assignee: null })).toEqual(
      ok({ change: 'assigned' }),
    );
    expect((await liveAlert('fp-commands')).assignee).toBeNull();
    expect(await command(RpcSubjects.AlertChangeSeverity, id, { severity: 'critical' })).toEqual(
      ok({ change: 'severity_changed' }),
    );
    expect(await liveAlert('fp-commands')).toMatchObject({ severity: 'critical', trend: 'more_severe' });
    expect(await command(RpcSubjects.AlertAddNote, id, { text: 'disk replaced' })).toEqual(
      ok({ change: 'note_added', status: 'open' }),
    );
    expect(await command(RpcSubjects.AlertSnooze, id, { durationSeconds: 3600 })).toEqual(
      ok({ change: 'snoozed', status: 'snoozed' }),
    );
    // Occurrences of a snoozed alert count, and nothing is notified.
    await correlate(classifiedEvent({ fingerprint: 'fp-commands', severity: 'minor' }));
    expect(await liveAlert('fp-commands')).toMatchObject({ status: 'snoozed', tally: 2, severity: 'minor' });
    expect(await command(RpcSubjects.AlertResolve, id)).toEqual(
      ok({ change: 'resolved', status: 'resolved', sequence: 10 }),
    );

    expect(await command(RpcSubjects.AlertAcknowledge, id)).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: `alert ${id} is resolved: a resolved alert cannot be acknowledged`,
      },
    });
    expect(await command(RpcSubjects.AlertSnooze, id, { durationSeconds: 60 })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `alert ${id} is resolved: a resolved alert cannot be snoozed` },
    });
    expect(await command(RpcSubjects.AlertChangeSeverity, id, { severity: 'minor' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await command(RpcSubjects.AlertUnacknowledge, id)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    const rows = await history(id);
    expect(rows.map((r) => [r.sequence, r.actor, r.action, r.from_status, r.to_status])).toEqual([
      [1, 'system', 'opened', null, 'open'],
      [2, 'alice', 'acknowledged', 'open', 'acknowledged'],
      [3, 'alice', 'unacknowledged', 'acknowledged', 'open'],
      [4, 'alice', 'assigned', 'open', 'open'],
      [5, 'alice', 'assigned', 'open', 'open'],
      [6, 'alice', 'severity_changed', 'open', 'open'],
      [7, 'alice', 'note_added', 'open', 'open'],
      [8, 'alice', 'snoozed', 'open', 'snoozed'],
      [9, 'system', 'severity_changed', 'snoozed', 'snoozed'],
      [10, 'alice', 'resolved', 'snoozed', 'resolved'],
    ]);
    expect(rows[1]).toMatchObject({ reason: 'on it', command_id: expect.any(String) });
    expect(rows[6].details).toEqual({ text: 'disk replaced' });
    expect(rows[8].event_id).toEqual(expect.any(String));

    const messages = await announced(id, 10);
    expect(messages.map((m) => [m.sequence, m.change, m.actor, m.notify])).toEqual([
      [1, 'opened', 'system', true],
      [2, 'acknowledged', 'alice', true],
      [3, 'unacknowledged', 'alice', true],
      [4, 'assigned', 'alice', true],
      [5, 'assigned', 'alice', true],
      [6, 'severity_changed', 'alice', true],
      [7, 'note_added', 'alice', true],
      [8, 'snoozed', 'alice', false],
      [9, 'severity_changed', 'system', false],
      [10, 'resolved', 'alice', true],
    ]);
    expect(messages[3]).toMatchObject({ commandId: rows[3].command_id, alert: { assignee: 'bob' } });
    expect(messages[1].causeEventId).toBeUndefined();
  });

  it('refuses invalid requests naming the field, and unknown alerts', async () => {
    const id = await open('fp-invalid');
    const invalid = async (subject: RpcSubject, body: Record<string, unknown>) => {
      const reply = await ask(subject, body);
      expect(reply.ok).toBe(false);
      if (reply.ok) return [];
      expect(reply.error.code).toBe('invalid_request');
      return (reply.error.details ?? []).map((d) => d.field);
    };
    expect(await invalid(RpcSubjects.AlertAcknowledge, { alertId: id, commandId: 'c' })).toEqual(['actor']);
    expect(
      await invalid(RpcSubjects.AlertAcknowledge, { alertId: 'nope', actor: 'a', commandId: 'c' }),
    ).toEqual(['alertId']);
    expect(
      await invalid(RpcSubjects.AlertAcknowledge, { alertId: id, actor: 'system', commandId: 'c' }),
    ).toEqual(['actor']);
    expect(await invalid(RpcSubjects.AlertAssign, { alertId: id, actor: 'a', commandId: 'c' })).toEqual([
      'assignee',
    ]);
    expect(await invalid(RpcSubjects.AlertSnooze, { alertId: id, actor: 'a', commandId: 'c' })).toEqual([
      'until',
    ]);
    expect(
      await invalid(RpcSubjects.AlertSnooze, {
        alertId: id,
        actor: 'a',
        commandId: 'c',
        until: new Date(Date.now() - 1000).toISOString(),
      }),
    ).toEqual(['until']);
    expect(
      await invalid(RpcSubjects.AlertChangeSeverity, {
        alertId: id,
        actor: 'a',
        commandId: 'c',
        severity: 'cleared',
      }),
    ).toEqual(['severity']);
    expect(
      await invalid(RpcSubjects.AlertAddNote, { alertId: id, actor: 'a', commandId: 'c', text: '' }),
    ).toEqual(['text']);
    const unknown = randomUUID();
    expect(await command(RpcSubjects.AlertAcknowledge, unknown)).toEqual({
      ok: false,
      error: { code: 'not_found', message: `alert ${unknown} not found` },
    });
    expect(await history(id)).toHaveLength(1);
  });

  it('answers a repeated command id with the first result, without a second effect', async () => {
    const id = await open('fp-idempotent');
    const note = { alertId: id, actor: 'alice', commandId: 'note-1', text: 'first' };
    const first = await ask(RpcSubjects.AlertAddNote, note);
    const again = await ask(RpcSubjects.AlertAddNote, { ...note, text: 'second' });
    expect(first).toEqual({
      ok: true,
      data: {
        alertId: id,
        commandId: 'note-1',
        changed: true,
        replayed: false,
        change: 'note_added',
        sequence: 2,
        status: 'open',
      },
    });
    expect(again).toEqual({ ok: true, data: { ...(first.ok ? first.data : {}), replayed: true } });
    // Even after the alert moved on, the old command id still means the old result.
    await command(RpcSubjects.AlertAcknowledge, id);
    expect(await ask(RpcSubjects.AlertAddNote, note)).toMatchObject({
      ok: true,
      data: { sequence: 2, replayed: true },
    });
    expect((await history(id)).map((r) => r.action)).toEqual(['opened', 'note_added', 'acknowledged']);
    expect(await alertById(id)).toMatchObject({ sequence: 3 });
  });

  it('auto-resolves by a clear, and by a paired resolution event that opens no alert of its own', async () => {
    const eth0 = await open('fp-link-eth0', { type: 'LinkDown', node: 'sw-1', labels: { ifname: 'eth0' } });
    const eth1 = await open('fp-link-eth1', { type: 'LinkDown', node: 'sw-1', labels: { ifname: 'eth1' } });
    const node = await open('fp-node-down', { type: 'NodeDown', node: 'sw-1' });
    const up = classifiedEvent({
      fingerprint: 'fp-link-up',
      type: 'LinkUp',
      node: 'sw-1',
      severity: 'indeterminate',
      labels: { ifname: 'eth0' },
    });
    expect(await correlate(up)).toEqual([{ result: 'resolution', resolved: [eth0] }]);
    expect((await alertById(eth0)).status).toBe('resolved');
    expect((await alertById(eth1)).status).toBe('open');
    expect((await alertById(node)).status).toBe('open');
    expect(await liveAlert('fp-link-up')).toBeUndefined();
    expect((await history(eth0)).at(-1)).toMatchObject({
      action: 'resolved',
      actor: 'system',
      event_id: up.id,
      details: { pairing: { problem: 'LinkDown', resolution: 'LinkUp', match: ['node', 'labels.ifname'] } },
    });
    const [occurrence] = await db.query<{ alert_id: string | null }[]>(
      'SELECT alert_id FROM correlator.event_occurrences WHERE event_id = $1',
      [up.id],
    );
    expect(occurrence).toEqual({ alert_id: null });
    const resolvedMessage = (await announced(eth0, 2))[1];
    expect(resolvedMessage).toMatchObject({ change: 'resolved', causeEventId: up.id, notify: true });

    // The default match is the node; a clear of the same fingerprint resolves as before.
    expect(await correlate(classifiedEvent({ fingerprint: 'x', type: 'NodeUp', node: 'sw-1' }))).toEqual([
      { result: 'resolution', resolved: [node] },
    ]);
    await correlate(classifiedEvent({ fingerprint: 'fp-link-eth1', type: 'LinkDown', severity: 'cleared' }));
    expect((await alertById(eth1)).status).toBe('resolved');
  });

  it('flags a flapping alert, damps its notifications, and lets it settle after a quiet window', async () => {
    const id = await open('fp-flap');
    for (const severity of ['cleared', 'major', 'cleared', 'major'] as const)
      await correlate(classifiedEvent({ fingerprint: 'fp-flap', severity }));
    expect(await alertById(id)).toMatchObject({ flapping: true, status: 'open' });
    // Quiet for the flap window: the flap-check timer ends it.
    await waitFor('flapping to stop', async () => !(await alertById(id)).flapping, { timeoutMs: 8000 });
    const messages = await announced(id, 7);
    expect(messages.map((m) => [m.change, m.notify, m.alert.flapping])).toEqual([
      ['opened', true, false],
      ['resolved', true, false],
      ['reopened', true, false],
      ['resolved', false, true],
      ['flapping_started', true, true],
      ['reopened', false, true],
      ['flapping_stopped', true, false],
    ]);
    expect((await history(id)).map((r) => r.action)).toContain('flapping_stopped');
  });

  it('closes a resolved alert at the end of the reopen window; the fingerprint then opens a new alert', async () => {
    const first = await open('fp-window');
    await correlate(classifiedEvent({ fingerprint: 'fp-window', severity: 'cleared' }));
    // Within the window: the same alert reopens.
    await correlate(classifiedEvent({ fingerprint: 'fp-window' }));
    expect(await alertById(first)).toMatchObject({ status: 'open', tally: 2 });
    await correlate(classifiedEvent({ fingerprint: 'fp-window', severity: 'cleared' }));
    await waitFor('the close timer', async () => (await alertById(first)).status === 'closed', {
      timeoutMs: 8000,
    });
    expect((await history(first)).at(-1)).toMatchObject({
      action: 'closed',
      actor: 'system',
      from_status: 'resolved',
    });

    const second = await open('fp-window');
    expect(second).not.toBe(first);
    expect(await alertById(first)).toMatchObject({ status: 'closed', tally: 2 });
    expect(await alertById(second)).toMatchObject({ status: 'open', tally: 1, sequence: 1 });
    expect(await command(RpcSubjects.AlertAcknowledge, first)).toEqual({
      ok: false,
      error: { code: 'conflict', message: `alert ${first} is closed: a closed alert cannot be acknowledged` },
    });
    expect(await command(RpcSubjects.AlertAddNote, first, { text: 'postmortem' })).toMatchObject({
      ok: true,
      data: { change: 'note_added', status: 'closed' },
    });
    // Three open↔resolved transitions within the flap window: it flapped until it closed.
    expect((await announced(first, 7)).map((m) => [m.change, m.alert.flapping])).toEqual([
      ['opened', false],
      ['resolved', false],
      ['reopened', false],
      ['resolved', true],
      ['flapping_started', true],
      ['closed', false],
      ['note_added', false],
    ]);
  });
});

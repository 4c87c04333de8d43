import type { AlertStatus } from '@vigil/contracts';
import {
  AlertCommand,
  AlertState,
  applyClear,
  applyCommand,
  applyOccurrence,
  applyTimer,
  closeAlert,
  Decision,
  LifecyclePolicy,
  Occurrence,
  openAlert,
  RECENT_OCCURRENCES_KEPT,
  reopenWindowPassed,
  trendOf,
  withRecent,
} from './alert-lifecycle';

const t = (minute: number, second = 0) => new Date(Date.UTC(2026, 4, 1, 12, minute, second));
const occurrence = (severity: Occurrence['severity'], minute: number, id = `e${minute}`): Occurrence => ({
  eventId: id,
  severity,
  summary: `${severity} at ${minute}`,
  occurredAt: t(minute),
});
const policy: LifecyclePolicy = {
  defaultTimeoutSeconds: 600,
  reopenWindowSeconds: 300,
  flapThreshold: 3,
  flapWindowSeconds: 900,
};
const changesOf = (d: Decision) => d.transitions.map((x) => x.change);
const open = openAlert(occurrence('major', 0), t(0), policy).state;
const withStatus = (status: AlertStatus, extra: Partial<AlertState> = {}): AlertState => ({
  ...open,
  status,
  ...(status === 'resolved' || status === 'expired' ? { resolvedAt: t(1), statusChangedAt: t(1) } : {}),
  ...(status === 'snoozed' ? { snoozedUntil: t(30), statusBeforeSnooze: 'open' as const } : {}),
  ...extra,
});
const ALL: AlertStatus[] = ['open', 'acknowledged', 'snoozed', 'resolved', 'expired', 'closed'];

describe('openAlert', () => {
  it('opens with a tally of one, the first announced change and an expiry timer', () => {
    const decision = openAlert(
      { ...occurrence('major', 0), timeoutSeconds: 60, priority: 'P2', team: 'db' },
      t(0),
      policy,
    );
    expect(decision.state).toEqual({
      status: 'open',
      severity: 'major',
      previousSeverity: null,
      trend: 'no_change',
      tally: 1,
      firstOccurrence: t(0),
      lastOccurrence: t(0),
      recentOccurrences: [t(0)],
      summary: 'major at 0',
      priority: 'P2',
      team: 'db',
      sequence: 1,
      resolvedAt: null,
      lastEventId: 'e0',
      assignee: null,
      snoozedUntil: null,
      statusBeforeSnooze: null,
      timeoutSeconds: 60,
      statusChangedAt: t(0),
      lastSeenAt: t(0),
      flapping: false,
      flapTransitions: [],
      suppressedBy: null,
      inhibitedBy: null,
    });
    expect(decision.transitions).toMatchObject([
      { change: 'opened', sequence: 1, from: null, to: 'open', notify: true },
    ]);
    expect(decision.timers).toEqual({ expire: t(1) });
  });

  it('takes the default timeout, and sets no expiry when it is 0', () => {
    expect(openAlert(occurrence('minor', 0), t(0), policy).state.timeoutSeconds).toBe(600);
    expect(openAlert(occurrence('minor', 0), t(0), { ...policy, defaultTimeoutSeconds: 0 }).timers).toEqual({
      expire: null,
    });
  });

  it('refuses to open an alert from a clear', () => {
    expect(() => openAlert(occurrence('cleared', 0), t(0), policy)).toThrow();
  });
});

describe('applyOccurrence (de-duplication)', () => {
  it('counts a repeat without announcing it or touching its timers, remembering when it was seen', () => {
    const decision = applyOccurrence(open, occurrence('major', 5), t(5), policy);
    expect(decision.transitions).toEqual([]);
    expect(decision.timers).toEqual({});
    expect(decision.state).toMatchObject({
      lastSeenAt: t(5),
      tally: 2,
      firstOccurrence: t(0),
      lastOccurrence: t(5),
      recentOccurrences: [t(5), t(0)],
      summary: 'major at 5',
      sequence: 1,
      status: 'open',
    });
  });

  it('takes priority from the latest event, and team from the latest event that names one', () => {
    const tagged = { ...open, priority: 'P3' as const, team: 'db' };
    const noTeam = applyOccurrence(tagged, { ...occurrence('major', 5), priority: 'P1' }, t(5), policy);
    expect(noTeam.state).toMatchObject({ priority: 'P1', team: 'db' });
    expect(noTeam.transitions).toEqual([]);
    const moved = applyOccurrence(
      noTeam.state,
      { ...occurrence('major', 6), priority: 'P4', team: 'web' },
      t(6),
      policy,
    );
    expect(moved.state).toMatchObject({ priority: 'P4', team: 'web' });
    // An occurrence older than the latest counts, but rewrites neither.
    const late = applyOccurrence(
      moved.state,
      { ...occurrence('major', 2), priority: 'P5', team: 'old' },
      t(7),
      policy,
    );
    expect(late.state).toMatchObject({ priority: 'P4', team: 'web', tally: 4 });
  });

  it('takes a new timeout from the latest event that carries one', () => {
    const decision = applyOccurrence(open, { ...occurrence('major', 5), timeoutSeconds: 120 }, t(5), policy);
    expect(decision.state.timeoutSeconds).toBe(120);
    expect(decision.timers).toEqual({ expire: t(7) });
  });

  it('announces a severity change with the previous severity and the trend', () => {
    const worse = applyOccurrence(open, occurrence('critical', 5), t(5), policy);
    expect(changesOf(worse)).toEqual(['severity_changed']);
    expect(worse.state).toMatchObject({
      severity: 'critical',
      previousSeverity: 'major',
      trend: 'more_severe',
      sequence: 2,
      tally: 2,
    });
    const better = applyOccurrence(worse.state, occurrence('warning', 6), t(6), policy);
    expect(better.state).toMatchObject({
      severity: 'warning',
      previousSeverity: 'critical',
      trend: 'less_severe',
    });
    const same = applyOccurrence(better.state, occurrence('warning', 7), t(7), policy);
    expect(same.state.trend).toBe('less_severe');
  });

  it('lets a late occurrence count without rewriting the latest summary or severity', () => {
    const current = applyOccurrence(open, occurrence('major', 10), t(10), policy).state;
    const { state, transitions } = applyOccurrence(current, occurrence('critical', 3), t(11), policy);
    expect(transitions).toEqual([]);
    expect(state).toMatchObject({
      tally: 3,
      severity: 'major',
      summary: 'major at 10',
      lastOccurrence: t(10),
    });
    expect(state.recentOccurrences).toEqual([t(10), t(3), t(0)]);
  });

  it('counts into a snoozed alert, announcing a severity change without notifying it', () => {
    const snoozed = withStatus('snoozed');
    expect(applyOccurrence(snoozed, occurrence('major', 5), t(5), policy).state).toMatchObject({
      status: 'snoozed',
      tally: 2,
    });
    const moved = applyOccurrence(snoozed, occurrence('critical', 5), t(5), policy);
    expect(moved.transitions).toMatchObject([{ change: 'severity_changed', notify: false }]);
  });

  it('moves the sequence by exactly one per announced change', () => {
    const noFlapping = { ...policy, flapThreshold: 0 };
    let state = open;
    let announced = 1;
    (['major', 'critical', 'critical', 'cleared', 'minor', 'cleared'] as const).forEach((severity, i) => {
      const decision = applyOccurrence(state, occurrence(severity, i + 1), t(i + 1), noFlapping);
      announced += decision.transitions.length;
      state = decision.state;
    });
    expect(state.sequence).toBe(announced);
    expect(announced).toBe(5);
  });

  it('never takes an occurrence into a closed alert', () => {
    expect(() => applyOccurrence(withStatus('closed'), occurrence('major', 5), t(5), policy)).toThrow();
  });
});

describe('withRecent and trendOf', () => {
  it('keeps the newest occurrence times, newest first, bounded', () => {
    let recent: Date[] = [];
    for (let i = 0; i < 30; i++) recent = withRecent(recent, t(i));
    expect(recent).toHaveLength(RECENT_OCCURRENCES_KEPT);
    expect(recent[0]).toEqual(t(29));
    expect(recent[RECENT_OCCURRENCES_KEPT - 1]).toEqual(t(10));
    // Older than all kept: it does not displace a newer one.
    expect(withRecent(recent, t(1))).toEqual(recent);
  });

  it('compares severities by rank', () => {
    expect(trendOf('minor', 'critical')).toBe('more_severe');
    expect(trendOf('critical', 'indeterminate')).toBe('less_severe');
    expect(trendOf('major', 'major')).toBe('no_change');
  });
});

describe('clears and auto-resolve', () => {
  it.each(['open', 'acknowledged', 'snoozed'] as const)(
    'resolves a %s alert, without counting the clear',
    (status) => {
      const decision = applyOccurrence(withStatus(status), occurrence('cleared', 5), t(5), policy);
      expect(decision.transitions).toMatchObject([{ change: 'resolved', from: status, to: 'resolved' }]);
      expect(decision.state).toMatchObject({
        status: 'resolved',
        resolvedAt: t(5),
        tally: 1,
        sequence: 2,
        snoozedUntil: null,
        statusBeforeSnooze: null,
        statusChangedAt: t(5),
      });
      expect(decision.timers).toEqual({ expire: null, unsnooze: null, close: t(10) });
    },
  );

  it.each(['resolved', 'expired', 'closed'] as const)('ignores a clear for a %s alert', (status) => {
    const current = withStatus(status);
    const decision = applyOccurrence(current, occurrence('cleared', 6), t(6), policy);
    expect(decision).toEqual({ state: current, transitions: [], timers: {} });
  });

  it('ignores a clear older than the latest problem occurrence', () => {
    const later = applyOccurrence(open, occurrence('major', 10), t(10), policy).state;
    expect(applyOccurrence(later, occurrence('cleared', 5), t(11), policy).transitions).toEqual([]);
  });

  it('records why a paired resolution resolved the alert', () => {
    const decision = applyClear(open, { eventId: 'up-1', occurredAt: t(3) }, t(3), policy, {
      pairing: { problem: 'LinkDown', resolution: 'LinkUp' },
    });
    expect(decision.transitions).toMatchObject([
      { change: 'resolved', details: { pairing: { problem: 'LinkDown', resolution: 'LinkUp' } } },
    ]);
    expect(decision.state.lastEventId).toBe('up-1');
  });
});

describe('reopen window', () => {
  const resolved = applyOccurrence(open, occurrence('cleared', 5), t(5), policy).state;

  it('reopens a resolved alert within the window, with the new severity, clearing the close timer', () => {
    const decision = applyOccurrence(resolved, occurrence('minor', 8), t(8), policy);
    expect(changesOf(decision)).toEqual(['reopened']);
    expect(decision.superseded).toBeUndefined();
    expect(decision.state).toMatchObject({
      status: 'open',
      severity: 'minor',
      previousSeverity: 'major',
      trend: 'less_severe',
      resolvedAt: null,
      tally: 2,
      sequence: 3,
      statusChangedAt: t(8),
    });
    expect(decision.timers).toEqual({ close: null, expire: t(18) });
  });

  it('reopens an expired alert within the window', () => {
    const expired = applyTimer(open, 'expire', t(10), policy).state;
    expect(changesOf(applyOccurrence(expired, occurrence('major', 12), t(12), policy))).toEqual(['reopened']);
  });

  it('after the window closes the alert instead, and the occurrence belongs to a new alert', () => {
    expect(reopenWindowPassed(resolved, t(9), policy)).toBe(false);
    expect(reopenWindowPassed(resolved, t(10), policy)).toBe(true);
    const decision = applyOccurrence(resolved, occurrence('major', 11), t(11), policy);
    expect(decision.superseded).toBe(true);
    expect(decision.transitions).toMatchObject([
      {
        change: 'closed',
        from: 'resolved',
        to: 'closed',
        details: { reason: 'the reopen window had passed' },
      },
    ]);
    expect(decision.state).toMatchObject({ status: 'closed', tally: 1 });
    expect(decision.timers).toEqual({ expire: null, unsnooze: null, close: null, flap_check: null });
  });

  it('counts but does not reopen for a problem that happened before the clear', () => {
    const twice = applyOccurrence(
      applyOccurrence(open, occurrence('major', 2), t(2), policy).state,
      occurrence('cleared', 5),
      t(5),
      policy,
    ).state;
    const decision = applyOccurrence(twice, occurrence('major', 1), t(6), policy);
    expect(decision.transitions).toEqual([]);
    expect(decision.state).toMatchObject({ status: 'resolved', tally: 3, lastOccurrence: t(2) });
  });

  it('with a window of 0 a resolved alert never reopens', () => {
    const none = { ...policy, reopenWindowSeconds: 0 };
    const r = applyOccurrence(open, occurrence('cleared', 5), t(5), none).state;
    expect(applyOccurrence(r, occurrence('major', 5), t(5), none).superseded).toBe(true);
  });
});

describe('timers', () => {
  it('expire: an alert seen since the timer was set waits for the rest of its timeout', () => {
    const seen = applyOccurrence(open, occurrence('major', 5), t(5), policy).state;
    const early = applyTimer(seen, 'expire', t(10), policy);
    expect(early.transitions).toEqual([]);
    expect(early.timers).toEqual({ expire: t(15) });
    expect(applyTimer(seen, 'expire', t(15), policy).transitions).toMatchObject([{ change: 'expired' }]);
  });

  it('expire: an alert whose timeout became 0 never expires, and its timer goes', () => {
    const never = { ...withStatus('open'), timeoutSeconds: 0 };
    expect(applyTimer(never, 'expire', t(20), policy)).toEqual({
      state: never,
      transitions: [],
      timers: { expire: null },
    });
  });

  it.each(['open', 'acknowledged', 'snoozed'] as const)('expire: a %s alert expires', (status) => {
    const decision = applyTimer(withStatus(status), 'expire', t(20), policy);
    expect(decision.transitions).toMatchObject([
      { change: 'expired', from: status, to: 'expired', notify: true, details: { timeoutSeconds: 600 } },
    ]);
    expect(decision.state).toMatchObject({
      status: 'expired',
      resolvedAt: t(20),
      snoozedUntil: null,
      statusChangedAt: t(20),
    });
    expect(decision.timers).toEqual({ expire: null, unsnooze: null, close: t(25) });
  });

  it.each(['resolved', 'expired', 'closed'] as const)(
    'expire: a %s alert is left alone, the timer removed',
    (status) => {
      const current = withStatus(status);
      expect(applyTimer(current, 'expire', t(20), policy)).toEqual({
        state: current,
        transitions: [],
        timers: { expire: null },
      });
    },
  );

  it('unsnooze: a snoozed alert returns to the status it had, and notifies again', () => {
    const decision = applyTimer(
      withStatus('snoozed', { statusBeforeSnooze: 'acknowledged' }),
      'unsnooze',
      t(30),
      policy,
    );
    expect(decision.transitions).toMatchObject([
      { change: 'unsnoozed', from: 'snoozed', to: 'acknowledged', notify: true },
    ]);
    expect(decision.state).toMatchObject({ snoozedUntil: null, statusBeforeSnooze: null });
    expect(decision.timers).toEqual({ unsnooze: null });
    expect(applyTimer(withStatus('open'), 'unsnooze', t(30), policy).transitions).toEqual([]);
  });

  it.each(['resolved', 'expired'] as const)(
    'close: a %s alert is closed at the end of the window',
    (status) => {
      const decision = applyTimer(withStatus(status), 'close', t(6), policy);
      expect(decision.transitions).toMatchObject([{ change: 'closed', from: status, to: 'closed' }]);
      expect(decision.timers).toEqual({ expire: null, unsnooze: null, close: null, flap_check: null });
    },
  );

  it.each(['open', 'acknowledged', 'snoozed', 'closed'] as const)(
    'close: a %s alert is not closed',
    (status) => {
      expect(applyTimer(withStatus(status), 'close', t(6), policy).transitions).toEqual([]);
    },
  );

  it('closeAlert is final: it ends flapping, and no timer changes a closed alert', () => {
    const closed = closeAlert(withStatus('resolved', { flapping: true }), t(6), 'why').state;
    expect(closed).toMatchObject({ status: 'closed', flapping: false });
    for (const kind of ['expire', 'unsnooze', 'close', 'flap_check'] as const) {
      expect(applyTimer({ ...closed, flapping: true }, kind, t(7), policy)).toMatchObject({
        transitions: [],
        timers: { [kind]: null },
      });
    }
  });
});

describe('flapping', () => {
  /** Alternates problems and clears one minute apart, from an open alert. */
  function flap(times: number, start = open, from = 1): Decision[] {
    const decisions: Decision[] = [];
    let state = start;
    for (let i = 0; i < times; i++) {
      const minute = from + i;
      const d = applyOccurrence(
        state,
        occurrence(i % 2 === 0 ? 'cleared' : 'major', minute),
        t(minute),
        policy,
      );
      decisions.push(d);
      state = d.state;
    }
    return decisions;
  }

  it('starts at the threshold of open↔resolved transitions within the window, and damps what follows', () => {
    const [first, second, third, fourth] = flap(4);
    expect(first.transitions).toMatchObject([{ change: 'resolved', notify: true }]);
    expect(second.transitions).toMatchObject([{ change: 'reopened', notify: true }]);
    // The third transition: flapping from here; only the flapping change itself is notified.
    expect(third.transitions).toMatchObject([
      { change: 'resolved', notify: false, sequence: 4 },
      { change: 'flapping_started', notify: true, sequence: 5, to: 'resolved' },
    ]);
    expect(third.state.flapping).toBe(true);
    expect(third.timers).toMatchObject({ flap_check: t(18) });
    expect(fourth.transitions).toMatchObject([{ change: 'reopened', notify: false }]);
    expect(fourth.timers).toMatchObject({ flap_check: t(19) });
  });

  it('does not flap when the transitions are spread wider than the window', () => {
    let state = open;
    for (let i = 0; i < 6; i++) {
      const minute = 1 + i * 16;
      state = applyOccurrence(state, occurrence(i % 2 === 0 ? 'cleared' : 'major', minute), t(minute), {
        ...policy,
        reopenWindowSeconds: 3600,
      }).state;
    }
    expect(state.flapping).toBe(false);
    expect(state.flapTransitions).toHaveLength(1);
  });

  it('stops once no transition happened for the window, and notifies that', () => {
    const flapping = flap(4).at(-1)!.state;
    const early = applyTimer(flapping, 'flap_check', t(10), policy);
    expect(early.transitions).toEqual([]);
    expect(early.timers).toEqual({ flap_check: t(19) });
    const stable = applyTimer(flapping, 'flap_check', t(19), policy);
    expect(stable.transitions).toMatchObject([{ change: 'flapping_stopped', notify: true, to: 'open' }]);
    expect(stable.state.flapping).toBe(false);
    expect(stable.timers).toEqual({ flap_check: null });
    // Afterwards ordinary changes are notified again.
    expect(applyOccurrence(stable.state, occurrence('cleared', 20), t(20), policy).transitions).toMatchObject(
      [{ change: 'resolved', notify: true }],
    );
  });

  it('is off with a threshold of 0', () => {
    let state = open;
    for (let i = 0; i < 8; i++)
      state = applyOccurrence(state, occurrence(i % 2 === 0 ? 'cleared' : 'major', i + 1), t(i + 1), {
        ...policy,
        flapThreshold: 0,
      }).state;
    expect(state.flapping).toBe(false);
  });
});

describe('applyCommand', () => {
  const run = (status: AlertStatus, command: AlertCommand, extra: Partial<AlertState> = {}) =>
    applyCommand('a-1', withStatus(status, extra), command, t(10), policy);
  const commands: AlertCommand[] = [
    { kind: 'acknowledge' },
    { kind: 'unacknowledge' },
    { kind: 'resolve' },
    { kind: 'assign', assignee: 'bob' },
    { kind: 'snooze', until: t(40) },
    { kind: 'change_severity', severity: 'critical' },
    { kind: 'add_note', text: 'looking' },
  ];
  /** What each command does from each status: the change, "unchanged", or the refusal. */
  const expected: Record<AlertCommand['kind'], Record<AlertStatus, string>> = {
    acknowledge: {
      open: 'acknowledged',
      acknowledged: 'unchanged',
      snoozed: 'acknowledged',
      resolved: 'alert a-1 is resolved: a resolved alert cannot be acknowledged',
      expired: 'alert a-1 is expired: an expired alert cannot be acknowledged',
      closed: 'alert a-1 is closed: a closed alert cannot be acknowledged',
    },
    unacknowledge: {
      open: 'unchanged',
      acknowledged: 'unacknowledged',
      snoozed: 'alert a-1 is snoozed: a snoozed alert cannot be unacknowledged',
      resolved: 'alert a-1 is resolved: a resolved alert cannot be unacknowledged',
      expired: 'alert a-1 is expired: an expired alert cannot be unacknowledged',
      closed: 'alert a-1 is closed: a closed alert cannot be unacknowledged',
    },
    resolve: {
      open: 'resolved',
      acknowledged: 'resolved',
      snoozed: 'resolved',
      resolved: 'unchanged',
      expired: 'alert a-1 is expired: an expired alert cannot be resolved',
      closed: 'alert a-1 is closed: a closed alert cannot be resolved',
    },
    assign: {
      open: 'assigned',
      acknowledged: 'assigned',
      snoozed: 'assigned',
      resolved: 'assigned',
      expired: 'assigned',
      closed: 'alert a-1 is closed: a closed alert cannot be assigned',
    },
    snooze: {
      open: 'snoozed',
      acknowledged: 'snoozed',
      snoozed: 'snoozed',
      resolved: 'alert a-1 is resolved: a resolved alert cannot be snoozed',
      expired: 'alert a-1 is expired: an expired alert cannot be snoozed',
      closed: 'alert a-1 is closed: a closed alert cannot be snoozed',
    },
    change_severity: {
      open: 'severity_changed',
      acknowledged: 'severity_changed',
      snoozed: 'severity_changed',
      resolved: 'alert a-1 is resolved: a resolved alert cannot be given a new severity',
      expired: 'alert a-1 is expired: an expired alert cannot be given a new severity',
      closed: 'alert a-1 is closed: a closed alert cannot be given a new severity',
    },
    add_note: {
      open: 'note_added',
      acknowledged: 'note_added',
      snoozed: 'note_added',
      resolved: 'note_added',
      expired: 'note_added',
      closed: 'note_added',
    },
  };

  const cases = commands.flatMap((command) => ALL.map((status) => [command.kind, status, command] as const));
  it.each(cases)('%s on a %s alert', (kind, status, command) => {
    const outcome = run(status, command);
    const want = expected[kind][status];
    if (!outcome.ok) {
      expect(outcome.reason).toBe(want);
      return;
    }
    if (!outcome.changed) {
      expect(want).toBe('unchanged');
      expect(outcome.decision.transitions).toEqual([]);
      expect(outcome.decision.state).toBe(outcome.decision.state);
      return;
    }
    expect(outcome.decision.transitions[0]).toMatchObject({ change: want, sequence: 2, from: status });
  });

  it('acknowledge moves to acknowledged; on a snoozed alert it ends the snooze', () => {
    const outcome = run('snoozed', { kind: 'acknowledge' });
    expect(outcome).toMatchObject({
      ok: true,
      decision: {
        state: { status: 'acknowledged', snoozedUntil: null, statusBeforeSnooze: null },
        timers: { unsnooze: null },
        transitions: [{ details: { endedSnooze: true } }],
      },
    });
  });

  it('unacknowledge returns to open', () => {
    expect(run('acknowledged', { kind: 'unacknowledge' })).toMatchObject({
      ok: true,
      decision: { state: { status: 'open' } },
    });
  });

  it('resolve resolves now and starts the reopen window', () => {
    expect(run('acknowledged', { kind: 'resolve' })).toMatchObject({
      ok: true,
      decision: { state: { status: 'resolved', resolvedAt: t(10) }, timers: { close: t(15), expire: null } },
    });
  });

  it('assign sets and clears the assignee; the same assignee again changes nothing', () => {
    const assigned = run('open', { kind: 'assign', assignee: 'bob' });
    expect(assigned).toMatchObject({
      ok: true,
      decision: {
        state: { assignee: 'bob' },
        transitions: [{ details: { assignee: 'bob', previousAssignee: null } }],
      },
    });
    expect(run('open', { kind: 'assign', assignee: 'bob' }, { assignee: 'bob' })).toMatchObject({
      ok: true,
      changed: false,
    });
    expect(run('open', { kind: 'assign', assignee: null }, { assignee: 'bob' })).toMatchObject({
      ok: true,
      changed: true,
      decision: { state: { assignee: null } },
    });
  });

  it('snooze remembers the status to return to, schedules its end and is not notified', () => {
    const outcome = run('acknowledged', { kind: 'snooze', until: t(40) });
    expect(outcome).toMatchObject({
      ok: true,
      decision: {
        state: { status: 'snoozed', snoozedUntil: t(40), statusBeforeSnooze: 'acknowledged' },
        timers: { unsnooze: t(40) },
        transitions: [{ change: 'snoozed', notify: false, details: { until: t(40).toISOString() } }],
      },
    });
    // Snoozing again moves the end; the same end again changes nothing; a past end is refused.
    expect(run('snoozed', { kind: 'snooze', until: t(50) })).toMatchObject({
      ok: true,
      changed: true,
      decision: { state: { snoozedUntil: t(50), statusBeforeSnooze: 'open' }, timers: { unsnooze: t(50) } },
    });
    expect(run('snoozed', { kind: 'snooze', until: t(30) })).toMatchObject({ ok: true, changed: false });
    expect(run('open', { kind: 'snooze', until: t(5) })).toEqual({
      ok: false,
      reason: 'alert a-1 is open: an open alert cannot be snoozed (the snooze would already be over)',
    });
  });

  it('change severity keeps the previous one and the trend; the same severity changes nothing', () => {
    expect(run('open', { kind: 'change_severity', severity: 'minor' })).toMatchObject({
      ok: true,
      decision: { state: { severity: 'minor', previousSeverity: 'major', trend: 'less_severe' } },
    });
    expect(run('open', { kind: 'change_severity', severity: 'major' })).toMatchObject({
      ok: true,
      changed: false,
    });
  });

  it('a note changes only the sequence and is not a status change', () => {
    const outcome = run('closed', { kind: 'add_note', text: 'postmortem done' });
    expect(outcome).toMatchObject({
      ok: true,
      decision: {
        state: { status: 'closed', sequence: 2 },
        transitions: [
          { change: 'note_added', from: 'closed', to: 'closed', details: { text: 'postmortem done' } },
        ],
      },
    });
  });

  it('a resolve that makes the alert flap also announces flapping', () => {
    const flappy: Partial<AlertState> = { flapTransitions: [t(8), t(9)] };
    const outcome = run('open', { kind: 'resolve' }, flappy);
    expect(outcome.ok && outcome.decision.transitions.map((x) => x.change)).toEqual([
      'resolved',
      'flapping_started',
    ]);
  });
});

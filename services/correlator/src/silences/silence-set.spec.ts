import {
  parseMatchers,
  parseTimeWindow,
  parseInhibitRule,
  TimeWindow,
  Matcher,
  InhibitRule,
} from '@vigil/matching';
import {
  alertFields,
  announceMaintenanceEnding,
  applySilence,
  AlertState,
  openAlert,
  LifecyclePolicy,
} from '../alerts';
import { silenceOf, windowTimers } from './silence-set';

const policy: LifecyclePolicy = {
  defaultTimeoutSeconds: 0,
  reopenWindowSeconds: 3600,
  flapThreshold: 0,
  flapWindowSeconds: 600,
};
const t0 = new Date('2026-03-28T12:00:00Z');
const open = (): AlertState =>
  openAlert({ eventId: 'e1', severity: 'major', summary: 's', occurredAt: t0 }, t0, policy).state;

function window(input: unknown): TimeWindow {
  const parsed = parseTimeWindow(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.window;
}
function matchers(input: string[]): Matcher[] {
  const parsed = parseMatchers(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.matchers;
}
function rule(input: unknown): InhibitRule {
  const parsed = parseInhibitRule(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rule;
}

describe('applySilence (suppress / inhibit / release)', () => {
  const W = '00000000-0000-4000-8000-000000000001';
  const S = '00000000-0000-4000-8000-000000000002';

  it('announces suppressed, not notified, when a window covers a firing alert', () => {
    const d = applySilence(open(), { suppressedBy: W, inhibitedBy: null });
    expect(d.transitions.map((t) => [t.change, t.notify, t.quietReason])).toEqual([
      ['suppressed', false, 'maintenance'],
    ]);
    expect(d.state.suppressedBy).toBe(W);
  });

  it('releases a still-firing alert, notified, when its window ends', () => {
    const suppressed = applySilence(open(), { suppressedBy: W, inhibitedBy: null }).state;
    const d = applySilence(suppressed, { suppressedBy: null, inhibitedBy: null });
    expect(d.transitions.map((t) => [t.change, t.notify])).toEqual([['released', true]]);
    expect(d.transitions[0].details).toEqual({ endedMaintenanceWindowId: W });
  });

  it('inhibits and lifts', () => {
    const inhibited = applySilence(open(), { suppressedBy: null, inhibitedBy: S });
    expect(inhibited.transitions.map((t) => [t.change, t.notify, t.quietReason])).toEqual([
      ['inhibited', false, 'inhibited'],
    ]);
    const lifted = applySilence(inhibited.state, { suppressedBy: null, inhibitedBy: null });
    expect(lifted.transitions.map((t) => [t.change, t.notify])).toEqual([['released', true]]);
  });

  it('changes silently from one silence to another, and for resolved alerts', () => {
    const suppressed = applySilence(open(), { suppressedBy: W, inhibitedBy: null }).state;
    expect(applySilence(suppressed, { suppressedBy: null, inhibitedBy: S }).transitions).toEqual([]);
    const resolved: AlertState = { ...suppressed, status: 'resolved' };
    const d = applySilence(resolved, { suppressedBy: null, inhibitedBy: null });
    expect(d.transitions).toEqual([]);
    expect(d.state.suppressedBy).toBeNull();
  });

  it('is born suppressed inside a window: opened is not notified', () => {
    const d = openAlert({ eventId: 'e', severity: 'major', summary: 's', occurredAt: t0 }, t0, policy, {
      suppressedBy: W,
      inhibitedBy: null,
    });
    expect(d.transitions.map((t) => [t.change, t.notify, t.quietReason])).toEqual([
      ['opened', false, 'maintenance'],
    ]);
  });

  it('announces the ending notice, notified, only on alerts the window still suppresses', () => {
    const suppressed = applySilence(open(), { suppressedBy: W, inhibitedBy: null }).state;
    const d = announceMaintenanceEnding(suppressed, W, t0);
    expect(d.transitions.map((t) => [t.change, t.notify])).toEqual([['maintenance_ending', true]]);
    expect(announceMaintenanceEnding(open(), W, t0).transitions).toEqual([]);
  });
});

describe('silenceOf', () => {
  const fields = alertFields({
    node: 'db1',
    service: 'db',
    source: 'zabbix',
    type: 'DiskFull',
    category: 'hardware',
    environment: 'prod',
    labels: { team: 'core', node: 'spoofed' },
  });

  it('matches fields, plain label names and labels.*; fields win over labels', () => {
    expect(fields).toMatchObject({
      node: 'db1',
      team: 'core',
      'labels.team': 'core',
      'labels.node': 'spoofed',
    });
  });

  it('suppresses only while a matching window is active', () => {
    const windows = [
      {
        id: 'w',
        matchers: matchers(['service="db"', 'team=core']),
        window: window({ start: '2026-03-28T11:00:00Z', end: '2026-03-28T13:00:00Z' }),
      },
    ];
    expect(silenceOf({ id: 'a', fields }, t0, windows, [], []).suppressedBy).toBe('w');
    expect(
      silenceOf({ id: 'a', fields }, new Date('2026-03-28T13:00:00Z'), windows, [], []).suppressedBy,
    ).toBeNull();
    const other = [{ ...windows[0], matchers: matchers(['service="web"']) }];
    expect(silenceOf({ id: 'a', fields }, t0, other, [], []).suppressedBy).toBeNull();
  });

  it('inhibits a target while a source with equal labels fires', () => {
    const rules = [
      {
        id: 'r',
        rule: rule({ sourceMatchers: ['type=NodeDown'], targetMatchers: ['type=DiskFull'], equal: ['node'] }),
      },
    ];
    const source = { id: 's', fields: { ...fields, type: 'NodeDown' } };
    expect(silenceOf({ id: 'a', fields }, t0, [], rules, [source]).inhibitedBy).toBe('s');
    expect(silenceOf({ id: 'a', fields }, t0, [], rules, []).inhibitedBy).toBeNull();
    const elsewhere = { id: 's2', fields: { ...fields, type: 'NodeDown', node: 'db2' } };
    expect(silenceOf({ id: 'a', fields }, t0, [], rules, [elsewhere]).inhibitedBy).toBeNull();
  });
});

describe('windowTimers across a daylight-saving change (Europe/Berlin, 29 March 2026)', () => {
  // Daily 01:00 local for 2 hours: on the night clocks go 02:00 → 03:00 it lasts one real hour.
  const daily = window({
    rrule: 'FREQ=DAILY;BYHOUR=1;BYMINUTE=0;BYSECOND=0',
    durationMinutes: 120,
    timezone: 'Europe/Berlin',
  });

  it('before the change: 01:00 CET → 03:00 CET (00:00Z – 02:00Z)', () => {
    expect(windowTimers(daily, new Date('2026-03-27T23:30:00Z'), 300)).toEqual({
      change: new Date('2026-03-28T00:00:00Z'),
      ending: null,
    });
    expect(windowTimers(daily, new Date('2026-03-28T00:00:00Z'), 300)).toEqual({
      change: new Date('2026-03-28T02:00:00Z'),
      ending: new Date('2026-03-28T01:55:00Z'),
    });
  });

  it('on the change night the window ends at 03:00 CEST (01:00Z), the notice 5 minutes before', () => {
    expect(windowTimers(daily, new Date('2026-03-29T00:00:00Z'), 300)).toEqual({
      change: new Date('2026-03-29T01:00:00Z'),
      ending: new Date('2026-03-29T00:55:00Z'),
    });
  });

  it('after the change the next start is 01:00 CEST (23:00Z the day before)', () => {
    expect(windowTimers(daily, new Date('2026-03-29T01:00:00Z'), 300)).toEqual({
      change: new Date('2026-03-29T23:00:00Z'),
      ending: null,
    });
    // Less than the notice left: the notice is due at once.
    const late = new Date('2026-03-30T00:58:00Z');
    expect(windowTimers(daily, late, 300)).toEqual({
      change: new Date('2026-03-30T01:00:00Z'),
      ending: late,
    });
  });
});

import { Subjects } from '@vigil/contracts';
import { heartbeatFields, heartbeatMatches, parseHeartbeat } from './heartbeat';

const RAW = `${Subjects.EventsRaw}.backup`;

const fieldsOf = (input: Parameters<typeof parseHeartbeat>[0]) => {
  const parsed = parseHeartbeat(input);
  if (parsed.ok) throw new Error('expected errors');
  return parsed.errors;
};

describe('parseHeartbeat', () => {
  it('accepts matchers, an interval and a recurring schedule', () => {
    const parsed = parseHeartbeat({
      matchers: ['source="backup"', 'labels.env=~"prod|staging"'],
      intervalSeconds: 300,
      schedule: { cron: '0 9 * * 1-5', durationMinutes: 480, timezone: 'Europe/Berlin' },
    });
    expect(parsed).toMatchObject({
      ok: true,
      heartbeat: { intervalMs: 300_000, schedule: { kind: 'cron', timezone: 'Europe/Berlin' } },
    });
    expect(parseHeartbeat({ matchers: [], intervalSeconds: 1 })).toMatchObject({ ok: true });
  });

  it('names the field of every fault', () => {
    const errors = fieldsOf({
      matchers: ['source="backup"', 'not a matcher'],
      intervalSeconds: 0,
      schedule: { rrule: 'FREQ=SOMETIMES', durationMinutes: 60, timezone: 'Mars/Olympus' },
    });
    expect(errors.map((e) => e.field)).toEqual([
      'matchers[1]',
      'intervalSeconds',
      'schedule.rrule',
      'schedule.timezone',
    ]);
    expect(errors[0].reason).toContain('not a matcher');
  });

  it('refuses a one-off schedule and windows no longer than the interval', () => {
    expect(
      fieldsOf({
        matchers: [],
        intervalSeconds: 60,
        schedule: { start: '2030-01-01T00:00:00Z', end: '2030-01-02T00:00:00Z' },
      }),
    ).toEqual([{ field: 'schedule', reason: expect.stringContaining('recurring') }]);
    expect(
      fieldsOf({
        matchers: [],
        intervalSeconds: 3600,
        schedule: { cron: '0 9 * * *', durationMinutes: 60, timezone: 'UTC' },
      }),
    ).toEqual([
      { field: 'schedule.durationMinutes', reason: expect.stringContaining('longer than the interval') },
    ]);
    expect(fieldsOf({ matchers: 'source=x', intervalSeconds: 8 * 24 * 3600 }).map((e) => e.field)).toEqual([
      'matchers',
      'intervalSeconds',
    ]);
  });
});

describe('heartbeatFields', () => {
  const event = {
    source: 'backup',
    node: 'db-1',
    type: 'BackupDone',
    category: 'operational',
    labels: { team: 'core', node: 'spoofed' },
    origin: { via: 'nats', from: `t42.${RAW}` },
  };

  it('shows labels under both names, fields over labels, and the subject without the prefix', () => {
    const fields = heartbeatFields(event, 't42');
    expect(fields).toMatchObject({
      team: 'core',
      'labels.team': 'core',
      'labels.node': 'spoofed',
      node: 'db-1',
      source: 'backup',
      type: 'BackupDone',
      category: 'operational',
      subject: RAW,
    });
    expect(heartbeatFields(event).subject).toBe(`t42.${RAW}`);
    expect(heartbeatFields({ ...event, origin: { via: 'http', from: '10.0.0.1' } }).subject).toBeUndefined();
  });

  it('matches when every matcher does', () => {
    const parsed = parseHeartbeat({
      matchers: ['subject=~".*[.]backup"', 'team="core"'],
      intervalSeconds: 60,
    });
    if (!parsed.ok) throw new Error('invalid');
    expect(heartbeatMatches(parsed.heartbeat, heartbeatFields(event, 't42'))).toBe(true);
    expect(heartbeatMatches(parsed.heartbeat, heartbeatFields({ ...event, labels: {} }, 't42'))).toBe(false);
  });
});

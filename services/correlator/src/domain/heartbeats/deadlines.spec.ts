import { deadlineAfter, expectedAt, judgeDeadline } from './deadlines';
import { Heartbeat, parseHeartbeat } from './heartbeat';

function heartbeat(intervalSeconds: number, schedule?: Record<string, unknown>): Heartbeat {
  const parsed = parseHeartbeat({ matchers: [], intervalSeconds, schedule });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.heartbeat;
}

const after = (h: Heartbeat, at: string) => deadlineAfter(h, new Date(at))?.toISOString();

describe('deadlines without a schedule', () => {
  const h = heartbeat(300);

  it('fall one interval after the event, and are always a miss', () => {
    expect(after(h, '2026-03-27T15:30:00.000Z')).toBe('2026-03-27T15:35:00.000Z');
    expect(judgeDeadline(h, new Date('2026-03-27T15:35:00.000Z'))).toEqual({ missed: true });
  });
});

describe('office hours in Europe/Berlin across the spring change (2026-03-29)', () => {
  // Weekdays 09:00–17:00 local; an hour without an event is a miss.
  const h = heartbeat(3600, {
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0;BYSECOND=0',
    durationMinutes: 480,
    timezone: 'Europe/Berlin',
  });

  it('an hour after an event inside the hours', () => {
    expect(after(h, '2026-03-27T10:00:00.000Z')).toBe('2026-03-27T11:00:00.000Z'); // Fri 12:00 CET
  });

  it('restarts the interval when the hours open next, in the new offset', () => {
    // Fri 16:30 CET: 17:30 is after hours, so Monday 09:00 CEST (07:00Z) + 1 h. The same UTC time
    // as the week before (08:00Z + 1 h) would be an hour late.
    expect(after(h, '2026-03-27T15:30:00.000Z')).toBe('2026-03-30T08:00:00.000Z');
    expect(expectedAt(h, new Date('2026-03-28T12:00:00.000Z'))).toBe(false); // Saturday
  });

  it('counts an event just before opening time from the event', () => {
    // Mon 08:30 CEST: 09:30 CEST is inside the hours.
    expect(after(h, '2026-03-30T06:30:00.000Z')).toBe('2026-03-30T07:30:00.000Z');
  });

  it('judges a due deadline: a miss inside the hours, moved when it fell outside them', () => {
    expect(judgeDeadline(h, new Date('2026-03-30T08:00:00.000Z'))).toEqual({ missed: true });
    expect(judgeDeadline(h, new Date('2026-03-28T08:00:00.000Z'))).toEqual({
      missed: false,
      next: new Date('2026-03-30T08:00:00.000Z'),
    });
  });
});

describe('America/New_York across the autumn change (2026-11-01), by cron', () => {
  const h = heartbeat(3600, { cron: '0 9 * * 1-5', durationMinutes: 480, timezone: 'America/New_York' });

  it('Friday evening to Monday 10:00 EST', () => {
    // Fri 2026-10-30 16:30 EDT (20:30Z) → Mon 2026-11-02 09:00 EST (14:00Z) + 1 h.
    expect(after(h, '2026-10-30T20:30:00.000Z')).toBe('2026-11-02T15:00:00.000Z');
  });
});

describe('a window too short for the interval on the night clocks go forward', () => {
  // Saturdays 22:00 for 6 hours (22:00–04:00 local): 5 hours long on 2026-03-28/29 in Berlin.
  const h = heartbeat(5.5 * 3600, {
    rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=22;BYMINUTE=0',
    durationMinutes: 360,
    timezone: 'Europe/Berlin',
  });

  it('skips to the next window that can hold the deadline', () => {
    // Sat 2026-03-21 22:00 CET (21:00Z) + 5.5 h fits in the 6-hour night.
    expect(after(h, '2026-03-21T12:00:00.000Z')).toBe('2026-03-22T02:30:00.000Z');
    // That night ends at 02:00Z; 21:00Z + 5.5 h would be after it. Next: Sat 22:00 CEST (20:00Z).
    expect(after(h, '2026-03-28T12:00:00.000Z')).toBe('2026-04-05T01:30:00.000Z');
  });
});

describe('a schedule that has ended', () => {
  const h = heartbeat(60, {
    cron: '0 9 * * *',
    durationMinutes: 60,
    timezone: 'UTC',
    until: '2026-01-01T00:00:00Z',
  });

  it('has no deadline any more', () => {
    expect(after(h, '2026-06-01T12:00:00.000Z')).toBeUndefined();
    expect(judgeDeadline(h, new Date('2026-06-01T12:00:00.000Z'))).toEqual({
      missed: false,
      next: undefined,
    });
  });
});

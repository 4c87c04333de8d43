import { TimeWindow, activeSpan, isActive, nextChange, parseTimeWindow } from './time-window';

function window(input: unknown): TimeWindow {
  const parsed = parseTimeWindow(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.window;
}

function errorsOf(input: unknown): { field: string; reason: string }[] {
  const parsed = parseTimeWindow(input);
  if (parsed.ok) throw new Error('expected errors');
  return parsed.errors;
}

/** The instants nextChange walks through, starting after `from`, at most `count` of them. */
function changes(w: TimeWindow, from: string, count: number): string[] {
  const seen: string[] = [];
  let cursor: Date | undefined = new Date(from);
  while (seen.length < count) {
    cursor = nextChange(w, cursor);
    if (!cursor) break;
    seen.push(cursor.toISOString());
  }
  return seen;
}

function span(w: TimeWindow, at: string): [string, string] | undefined {
  const found = activeSpan(w, new Date(at));
  return found && [found.start.toISOString(), found.end.toISOString()];
}

const at = (w: TimeWindow, instant: string) => isActive(w, new Date(instant));

describe('recurring windows across DST, Europe/Berlin 2026', () => {
  const rrule = window({
    rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=22;BYMINUTE=0',
    durationMinutes: 360,
    timezone: 'Europe/Berlin',
  });
  const cron = window({ cron: '0 22 * * 6', durationMinutes: 360, timezone: 'Europe/Berlin' });

  // Spring forward 2026-03-29 02:00 CET → 03:00 CEST: the night is 5 hours long, 22:00 → 04:00 local.
  const spring = [
    '2026-03-21T21:00:00.000Z', // Sat 22:00 CET
    '2026-03-22T03:00:00.000Z', // Sun 04:00 CET
    '2026-03-28T21:00:00.000Z', // Sat 22:00 CET
    '2026-03-29T02:00:00.000Z', // Sun 04:00 CEST
    '2026-04-04T20:00:00.000Z', // Sat 22:00 CEST
    '2026-04-05T02:00:00.000Z', // Sun 04:00 CEST
  ];
  // Fall back 2026-10-25 03:00 CEST → 02:00 CET: the night is 7 hours long.
  const autumn = [
    '2026-10-17T20:00:00.000Z', // Sat 22:00 CEST
    '2026-10-18T02:00:00.000Z',
    '2026-10-24T20:00:00.000Z', // Sat 22:00 CEST
    '2026-10-25T03:00:00.000Z', // Sun 04:00 CET
    '2026-10-31T21:00:00.000Z', // Sat 22:00 CET
    '2026-11-01T03:00:00.000Z',
  ];

  it.each([
    ['rrule', rrule],
    ['cron', cron],
  ])('%s: opens at 22:00 local and closes at 04:00 local on both sides of each change', (_, w) => {
    expect(changes(w, '2026-03-20T00:00:00Z', 6)).toEqual(spring);
    expect(changes(w, '2026-10-16T00:00:00Z', 6)).toEqual(autumn);
  });

  it.each([
    ['rrule', rrule],
    ['cron', cron],
  ])('%s: isActive and activeSpan at the edges', (_, w) => {
    expect(at(w, '2026-03-28T20:59:59.999Z')).toBe(false);
    expect(at(w, '2026-03-28T21:00:00.000Z')).toBe(true);
    expect(at(w, '2026-03-29T01:59:59.999Z')).toBe(true);
    expect(at(w, '2026-03-29T02:00:00.000Z')).toBe(false);
    expect(span(w, '2026-03-29T00:30:00Z')).toEqual(['2026-03-28T21:00:00.000Z', '2026-03-29T02:00:00.000Z']);
    expect(span(w, '2026-10-25T02:30:00Z')).toEqual(['2026-10-24T20:00:00.000Z', '2026-10-25T03:00:00.000Z']);
    expect(span(w, '2026-10-25T03:00:00Z')).toBeUndefined();
    expect(span(w, '2026-10-28T12:00:00Z')).toBeUndefined();
  });

  it('nextChange from inside an occurrence is its end, from its start instant too', () => {
    expect(nextChange(rrule, new Date('2026-03-28T21:00:00Z'))?.toISOString()).toBe(
      '2026-03-29T02:00:00.000Z',
    );
    expect(nextChange(rrule, new Date('2026-03-29T02:00:00Z'))?.toISOString()).toBe(
      '2026-04-04T20:00:00.000Z',
    );
  });
});

describe('nonexistent and repeated local times (RFC 5545)', () => {
  it('a start in the spring gap moves forward by the gap: 02:30 → 03:30 CEST', () => {
    const w = window({
      rrule: 'FREQ=DAILY;BYHOUR=2;BYMINUTE=30',
      durationMinutes: 90,
      timezone: 'Europe/Berlin',
    });
    // 28 March 02:30 CET → 04:00 CET; 29 March 03:30 CEST → 04:00 CEST (wall-clock end); 30 March in CEST.
    expect(changes(w, '2026-03-28T00:00:00Z', 6)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-28T03:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-29T02:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-30T02:00:00.000Z',
    ]);
  });

  it('a start pushed past its own wall-clock end keeps its duration in elapsed time', () => {
    const w = window({ cron: '30 2 * * *', durationMinutes: 60, timezone: 'Europe/Berlin' });
    // 02:30 → 03:30 CEST, and the wall-clock end 03:30 is that same instant: it lasts 60 real minutes.
    expect(span(w, '2026-03-29T02:00:00Z')).toEqual(['2026-03-29T01:30:00.000Z', '2026-03-29T02:30:00.000Z']);
  });

  it('a repeated local time is its first occurrence (CEST), and the repeat is outside the window', () => {
    const w = window({
      rrule: 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0',
      durationMinutes: 30,
      timezone: 'Europe/Berlin',
    });
    expect(span(w, '2026-10-25T00:10:00Z')).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T00:30:00.000Z']);
    expect(at(w, '2026-10-25T01:10:00Z')).toBe(false); // 02:10 CET, the second time round
    expect(changes(w, '2026-10-24T12:00:00Z', 3)).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:00:00.000Z',
    ]);
  });

  it('America/New_York: Sunday 01:30 for an hour on both 2026 change days', () => {
    const w = window({
      rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=1;BYMINUTE=30',
      durationMinutes: 60,
      timezone: 'America/New_York',
    });
    expect(changes(w, '2026-03-01T00:00:00Z', 6)).toEqual([
      '2026-03-01T06:30:00.000Z', // 01:30 EST
      '2026-03-01T07:30:00.000Z',
      '2026-03-08T06:30:00.000Z', // 01:30 EST; the wall-clock end 02:30 does not exist → 03:30 EDT
      '2026-03-08T07:30:00.000Z',
      '2026-03-15T05:30:00.000Z', // 01:30 EDT
      '2026-03-15T06:30:00.000Z',
    ]);
    expect(changes(w, '2026-10-31T00:00:00Z', 4)).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, the first of the two
      '2026-11-01T07:30:00.000Z', // 02:30 EST: two real hours
      '2026-11-08T06:30:00.000Z', // 01:30 EST
      '2026-11-08T07:30:00.000Z',
    ]);
  });
});

describe('one-off windows', () => {
  const w = window({ start: '2026-06-01T08:00:00+02:00', end: '2026-06-01T10:30:00Z' });

  it('is active on [start, end)', () => {
    expect(at(w, '2026-06-01T05:59:59.999Z')).toBe(false);
    expect(at(w, '2026-06-01T06:00:00Z')).toBe(true);
    expect(at(w, '2026-06-01T10:29:59.999Z')).toBe(true);
    expect(at(w, '2026-06-01T10:30:00Z')).toBe(false);
    expect(span(w, '2026-06-01T07:00:00Z')).toEqual(['2026-06-01T06:00:00.000Z', '2026-06-01T10:30:00.000Z']);
  });

  it('changes twice, then never', () => {
    expect(changes(w, '2026-01-01T00:00:00Z', 5)).toEqual([
      '2026-06-01T06:00:00.000Z',
      '2026-06-01T10:30:00.000Z',
    ]);
    expect(nextChange(w, new Date('2026-06-01T10:30:00Z'))).toBeUndefined();
  });
});

describe('from and until', () => {
  it('keeps occurrences starting in [from, until], then stops', () => {
    const w = window({
      rrule: 'FREQ=DAILY;BYHOUR=9',
      durationMinutes: 60,
      timezone: 'Europe/Berlin',
      from: '2026-05-04T12:00:00+02:00',
      until: '2026-05-06T09:00:00+02:00',
    });
    // 4 May 09:00 is before `from`; 6 May 09:00 is exactly `until`, so it is kept.
    expect(changes(w, '2026-05-01T00:00:00Z', 10)).toEqual([
      '2026-05-05T07:00:00.000Z',
      '2026-05-05T08:00:00.000Z',
      '2026-05-06T07:00:00.000Z',
      '2026-05-06T08:00:00.000Z',
    ]);
    expect(at(w, '2026-05-04T07:30:00Z')).toBe(false);
    expect(at(w, '2026-05-07T07:30:00Z')).toBe(false);
  });

  it('cron honours from and until too', () => {
    const w = window({
      cron: '0 9 * * 1-5',
      durationMinutes: 30,
      timezone: 'UTC',
      from: '2026-05-08T00:00:00Z',
      until: '2026-05-12T00:00:00Z',
    });
    // Friday 8 May, Monday 11 May; Tuesday 12 May 09:00 is after `until`.
    expect(changes(w, '2026-01-01T00:00:00Z', 10)).toEqual([
      '2026-05-08T09:00:00.000Z',
      '2026-05-08T09:30:00.000Z',
      '2026-05-11T09:00:00.000Z',
      '2026-05-11T09:30:00.000Z',
    ]);
  });

  it('COUNT and INTERVAL count from the local day of `from`', () => {
    const counted = window({
      rrule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=3;BYDAY=MO;BYHOUR=6',
      durationMinutes: 60,
      timezone: 'America/New_York',
      from: '2026-02-23T00:00:00-05:00',
    });
    expect(changes(counted, '2026-02-01T00:00:00Z', 10).filter((_, i) => i % 2 === 0)).toEqual([
      '2026-02-23T11:00:00.000Z', // 06:00 EST
      '2026-03-09T10:00:00.000Z', // 06:00 EDT, the day after the change
      '2026-03-23T10:00:00.000Z',
    ]);
  });

  it('a rule whose last occurrence has passed never changes again', () => {
    const w = window({
      rrule: 'FREQ=DAILY;COUNT=1;BYHOUR=9',
      durationMinutes: 60,
      timezone: 'UTC',
      from: '2026-05-04T00:00:00Z',
    });
    expect(nextChange(w, new Date('2026-05-04T10:00:00Z'))).toBeUndefined();
  });
});

describe('overlapping occurrences', () => {
  it('merges into one span, so nextChange skips the inner ends', () => {
    const w = window({
      rrule: 'FREQ=DAILY;BYHOUR=0',
      durationMinutes: 25 * 60,
      timezone: 'UTC',
      from: '2026-01-01T00:00:00Z',
      until: '2026-01-03T00:00:00Z',
    });
    expect(span(w, '2026-01-02T12:00:00Z')).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-04T01:00:00.000Z']);
    expect(changes(w, '2025-12-31T00:00:00Z', 5)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-04T01:00:00.000Z',
    ]);
  });

  it('touching occurrences form one span', () => {
    const w = window({
      cron: '0 0 * * *',
      durationMinutes: 24 * 60,
      timezone: 'UTC',
      from: '2026-01-01T00:00:00Z',
      until: '2026-01-02T00:00:00Z',
    });
    expect(changes(w, '2025-12-31T00:00:00Z', 5)).toEqual([
      '2026-01-01T00:00:00.000Z',
      '2026-01-03T00:00:00.000Z',
    ]);
  });
});

describe('parseTimeWindow errors name the field', () => {
  const base = { durationMinutes: 60, timezone: 'Europe/Berlin' };

  it.each<[string, unknown, string, RegExp]>([
    ['not an object', 'weekly', '', /must be an object/],
    ['no kind', { durationMinutes: 5 }, '', /exactly one of start\/end, rrule or cron \(found none\)/],
    ['two kinds', { ...base, rrule: 'FREQ=DAILY', cron: '* * * * *' }, '', /found rrule and cron/],
    ['missing FREQ', { ...base, rrule: 'BYHOUR=5' }, 'rrule', /FREQ is required/],
    ['hour 25', { ...base, rrule: 'FREQ=DAILY;BYHOUR=25' }, 'rrule', /BYHOUR: "25" is not 0–23/],
    ['weekly without BYDAY', { ...base, rrule: 'FREQ=WEEKLY;BYHOUR=1' }, 'rrule', /WEEKLY needs BYDAY/],
    ['bad day', { ...base, rrule: 'FREQ=WEEKLY;BYDAY=XX' }, 'rrule', /BYDAY/],
    ['minutely', { ...base, rrule: 'FREQ=MINUTELY' }, 'rrule', /use cron/],
    ['unknown part', { ...base, rrule: 'FREQ=DAILY;FOO=1' }, 'rrule', /FOO is not an RRULE part/],
    ['UNTIL inside', { ...base, rrule: 'FREQ=DAILY;UNTIL=20261231T000000Z' }, 'rrule', /`until`/],
    ['not NAME=VALUE', { ...base, rrule: 'FREQ=DAILY;BYHOUR' }, 'rrule', /not NAME=VALUE/],
    ['COUNT without from', { ...base, rrule: 'FREQ=DAILY;COUNT=3' }, 'rrule', /COUNT needs `from`/],
    [
      'INTERVAL without from',
      { ...base, rrule: 'FREQ=DAILY;INTERVAL=2' },
      'rrule',
      /INTERVAL above 1 needs `from`/,
    ],
    ['rrule not a string', { ...base, rrule: 5 }, 'rrule', /must be a string/],
    [
      'unknown zone',
      { rrule: 'FREQ=DAILY', durationMinutes: 5, timezone: 'Mars/Olympus' },
      'timezone',
      /unknown time zone "Mars\/Olympus"/,
    ],
    ['no zone', { rrule: 'FREQ=DAILY', durationMinutes: 5 }, 'timezone', /is required/],
    ['zero duration', { ...base, rrule: 'FREQ=DAILY', durationMinutes: 0 }, 'durationMinutes', /more than 0/],
    ['long duration', { ...base, cron: '0 0 * * *', durationMinutes: 44_641 }, 'durationMinutes', /31 days/],
    [
      'fractional duration',
      { ...base, cron: '0 0 * * *', durationMinutes: 1.5 },
      'durationMinutes',
      /whole number/,
    ],
    ['six cron fields', { ...base, cron: '0 0 0 * * *' }, 'cron', /6 fields; expected 5/],
    ['cron minute 61', { ...base, cron: '61 * * * *' }, 'cron', /bad cron expression/],
    ['from without offset', { ...base, cron: '0 0 * * *', from: '2026-01-01T00:00:00' }, 'from', /RFC 3339/],
    [
      'until before from',
      { ...base, cron: '0 0 * * *', from: '2026-02-01T00:00:00Z', until: '2026-01-01T00:00:00Z' },
      'until',
      /not be before from/,
    ],
    ['unknown key', { ...base, cron: '0 0 * * *', zone: 'UTC' }, 'zone', /unknown field/],
    [
      'end before start',
      { start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z' },
      'end',
      /after start/,
    ],
    [
      'end equal to start',
      { start: '2026-01-01T00:00:00Z', end: '2026-01-01T01:00:00+01:00' },
      'end',
      /after start/,
    ],
    [
      'impossible date',
      { start: '2026-02-30T00:00:00Z', end: '2026-03-01T00:00:00Z' },
      'start',
      /not a valid date-time/,
    ],
    ['missing end', { start: '2026-01-01T00:00:00Z' }, 'end', /RFC 3339/],
    [
      'from on a one-off',
      { start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', from: '2026-01-01T00:00:00Z' },
      'from',
      /unknown field/,
    ],
  ])('%s', (_, input, field, reason) => {
    const errors = errorsOf(input);
    expect(errors).toContainEqual({ field, reason: expect.stringMatching(reason) });
  });

  it('reports every fault at once', () => {
    const errors = errorsOf({ rrule: 'FREQ=HOURLY', durationMinutes: -1, timezone: 'Nowhere' });
    expect(errors.map((error) => error.field).sort()).toEqual(['durationMinutes', 'rrule', 'timezone']);
  });

  it('accepts an RRULE: prefix and lower-case parts, and keeps the parsed instants', () => {
    const w = window({
      rrule: 'RRULE:freq=weekly;byday=sa;byhour=22',
      durationMinutes: 60,
      timezone: 'UTC',
      from: '2026-01-01T01:00:00+01:00',
    });
    expect(w).toEqual({
      kind: 'rrule',
      rrule: 'RRULE:freq=weekly;byday=sa;byhour=22',
      durationMinutes: 60,
      timezone: 'UTC',
      from: new Date('2026-01-01T00:00:00Z'),
    });
    expect(nextChange(w, new Date('2026-01-01T00:00:00Z'))?.toISOString()).toBe('2026-01-03T22:00:00.000Z');
  });
});

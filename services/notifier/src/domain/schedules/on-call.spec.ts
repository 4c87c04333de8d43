import { OnCall, scheduleShifts, Shift, whoIsOnCall } from './on-call';
import { parseSchedule, Schedule } from './schedule';

function schedule(body: Record<string, unknown>): Schedule {
  const result = parseSchedule({ name: 'test', timeZone: 'Europe/Berlin', ...body });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.schedule;
}

/** `user@source from→to` in ISO instants, or `none`. */
function who(s: Schedule, at: string): string {
  const onCall: OnCall = whoIsOnCall(s, new Date(at));
  if (onCall.source === 'none') return 'none';
  const source = onCall.source === 'override' ? 'override' : onCall.layer;
  return `${onCall.users.join(',')}@${source} ${onCall.shiftStart?.toISOString()}→${onCall.shiftEnd?.toISOString()}`;
}

function shifts(s: Schedule, from: string, to: string): string[] {
  return scheduleShifts(s, new Date(from), new Date(to)).map(
    (shift: Shift) =>
      `${shift.userId}@${shift.source} ${shift.start.toISOString()}→${shift.end.toISOString()}`,
  );
}

const hours = (shift: Shift) => (shift.end.getTime() - shift.start.getTime()) / 3_600_000;

describe('whoIsOnCall: rotations', () => {
  it('daily: hands off every calendar day at the hand-off time, users in turn', () => {
    const s = schedule({
      layers: [
        {
          name: 'l',
          start: '2026-01-05T09:00',
          rotation: { type: 'daily' },
          users: ['alice', 'bob', 'carol'],
        },
      ],
    });
    expect(who(s, '2026-01-05T07:59:59.999Z')).toBe('none');
    expect(who(s, '2026-01-05T08:00:00Z')).toBe('alice@l 2026-01-05T08:00:00.000Z→2026-01-06T08:00:00.000Z');
    expect(who(s, '2026-01-06T08:00:00Z')).toBe('bob@l 2026-01-06T08:00:00.000Z→2026-01-07T08:00:00.000Z');
    expect(who(s, '2026-01-08T07:59:00Z')).toBe('carol@l 2026-01-07T08:00:00.000Z→2026-01-08T08:00:00.000Z');
    expect(who(s, '2026-01-08T08:00:00Z')).toBe('alice@l 2026-01-08T08:00:00.000Z→2026-01-09T08:00:00.000Z');
    // 100 days later: turn 100 → 100 % 3 = 1.
    expect(who(s, '2026-04-15T12:00:00Z')).toBe('bob@l 2026-04-15T07:00:00.000Z→2026-04-16T07:00:00.000Z');
  });

  it('daily with a hand-off time later than the start: the first shift is short', () => {
    const s = schedule({
      layers: [
        {
          name: 'l',
          start: '2026-01-05T00:00',
          rotation: { type: 'daily', handoffTime: '09:00' },
          users: ['a', 'b'],
        },
      ],
    });
    expect(who(s, '2026-01-05T00:00:00Z')).toBe('a@l 2026-01-04T23:00:00.000Z→2026-01-05T08:00:00.000Z');
    expect(who(s, '2026-01-05T08:00:00Z')).toBe('b@l 2026-01-05T08:00:00.000Z→2026-01-06T08:00:00.000Z');
  });

  it('weekly: hands off every 7 calendar days', () => {
    const s = schedule({
      layers: [
        { name: 'w', start: '2026-01-05T09:00', rotation: { type: 'weekly' }, users: ['alice', 'bob'] },
      ],
    });
    expect(who(s, '2026-01-12T07:59:00Z')).toBe('alice@w 2026-01-05T08:00:00.000Z→2026-01-12T08:00:00.000Z');
    expect(who(s, '2026-01-12T08:00:00Z')).toBe('bob@w 2026-01-12T08:00:00.000Z→2026-01-19T08:00:00.000Z');
    expect(who(s, '2026-01-19T08:00:00Z')).toBe('alice@w 2026-01-19T08:00:00.000Z→2026-01-26T08:00:00.000Z');
    // Turn 11 (odd); the week containing the spring-forward is 167 hours long.
    expect(who(s, '2026-03-25T12:00:00Z')).toBe('bob@w 2026-03-23T08:00:00.000Z→2026-03-30T07:00:00.000Z');
  });

  it('custom: hands off every lengthHours of elapsed time, also across DST', () => {
    const s = schedule({
      layers: [
        {
          name: 'c',
          start: '2026-03-28T20:00',
          rotation: { type: 'custom', lengthHours: 12 },
          users: ['a', 'b'],
        },
      ],
    });
    expect(who(s, '2026-03-29T07:00:00Z')).toBe('b@c 2026-03-29T07:00:00.000Z→2026-03-29T19:00:00.000Z');
    expect(who(s, '2026-03-29T06:59:00Z')).toBe('a@c 2026-03-28T19:00:00.000Z→2026-03-29T07:00:00.000Z');
  });

  it('ends a layer at its end', () => {
    const s = schedule({
      layers: [
        {
          name: 'l',
          start: '2026-01-05T09:00',
          end: '2026-01-06T12:00',
          rotation: { type: 'daily' },
          users: ['a', 'b'],
        },
      ],
    });
    expect(who(s, '2026-01-06T10:59:00Z')).toBe('b@l 2026-01-06T08:00:00.000Z→2026-01-06T11:00:00.000Z');
    expect(who(s, '2026-01-06T11:00:00Z')).toBe('none');
  });
});

describe('whoIsOnCall: daylight saving time', () => {
  const users = ['alice', 'bob', 'carol'];

  it('Europe/Berlin spring forward (2026-03-29): hand-off stays at 09:00 local, the shift is 23 h', () => {
    const s = schedule({
      layers: [{ name: 'l', start: '2026-03-23T09:00', rotation: { type: 'daily' }, users }],
    });
    // 2026-03-28 09:00 CET = 08:00Z; 2026-03-29 09:00 CEST = 07:00Z.
    expect(who(s, '2026-03-29T06:59:59Z')).toBe('carol@l 2026-03-28T08:00:00.000Z→2026-03-29T07:00:00.000Z');
    expect(who(s, '2026-03-29T07:00:00Z')).toBe('alice@l 2026-03-29T07:00:00.000Z→2026-03-30T07:00:00.000Z');
    const [carol] = scheduleShifts(s, new Date('2026-03-28T08:00:00Z'), new Date('2026-03-29T07:00:00Z'));
    expect(hours(carol)).toBe(23);
  });

  it('Europe/Berlin fall back (2026-10-25): hand-off stays at 09:00 local, the shift is 25 h', () => {
    const s = schedule({
      layers: [{ name: 'l', start: '2026-10-19T09:00', rotation: { type: 'daily' }, users }],
    });
    // 2026-10-24 09:00 CEST = 07:00Z; 2026-10-25 09:00 CET = 08:00Z.
    expect(who(s, '2026-10-25T07:59:59Z')).toBe('carol@l 2026-10-24T07:00:00.000Z→2026-10-25T08:00:00.000Z');
    expect(who(s, '2026-10-25T08:00:00Z')).toBe('alice@l 2026-10-25T08:00:00.000Z→2026-10-26T08:00:00.000Z');
    expect(shifts(s, '2026-10-24T00:00:00Z', '2026-10-27T00:00:00Z')).toEqual([
      'bob@l 2026-10-24T00:00:00.000Z→2026-10-24T07:00:00.000Z',
      'carol@l 2026-10-24T07:00:00.000Z→2026-10-25T08:00:00.000Z',
      'alice@l 2026-10-25T08:00:00.000Z→2026-10-26T08:00:00.000Z',
      'bob@l 2026-10-26T08:00:00.000Z→2026-10-27T00:00:00.000Z',
    ]);
  });

  it('a hand-off time in the spring-forward gap moves forward by the gap (02:30 → 03:30)', () => {
    const s = schedule({
      layers: [{ name: 'l', start: '2026-03-27T02:30', rotation: { type: 'daily' }, users: ['a', 'b'] }],
    });
    expect(shifts(s, '2026-03-28T00:00:00Z', '2026-03-31T00:00:00Z')).toEqual([
      'a@l 2026-03-28T00:00:00.000Z→2026-03-28T01:30:00.000Z',
      'b@l 2026-03-28T01:30:00.000Z→2026-03-29T01:30:00.000Z', // 03-29 02:30 does not exist: 03:30 CEST
      'a@l 2026-03-29T01:30:00.000Z→2026-03-30T00:30:00.000Z', // 02:30 CEST again: 23 h
      'b@l 2026-03-30T00:30:00.000Z→2026-03-31T00:00:00.000Z',
    ]);
  });

  it('an override during the DST week wins, and the rotation resumes around it', () => {
    const s = schedule({
      layers: [{ name: 'l', start: '2026-03-23T09:00', rotation: { type: 'daily' }, users }],
      // 01:30 CET to 04:30 CEST: two real hours across the gap; the end is wall-clock in the zone.
      overrides: [{ user: 'dave', start: '2026-03-29T00:30:00Z', end: '2026-03-29T04:30' }],
    });
    expect(who(s, '2026-03-29T01:30:00Z')).toBe(
      'dave@override 2026-03-29T00:30:00.000Z→2026-03-29T02:30:00.000Z',
    );
    expect(who(s, '2026-03-29T02:30:00Z')).toBe('carol@l 2026-03-28T08:00:00.000Z→2026-03-29T07:00:00.000Z');
    expect(shifts(s, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
      'bob@l 2026-03-28T00:00:00.000Z→2026-03-28T08:00:00.000Z',
      'carol@l 2026-03-28T08:00:00.000Z→2026-03-29T00:30:00.000Z',
      'dave@override 2026-03-29T00:30:00.000Z→2026-03-29T02:30:00.000Z',
      'carol@l 2026-03-29T02:30:00.000Z→2026-03-29T07:00:00.000Z',
      'alice@l 2026-03-29T07:00:00.000Z→2026-03-30T00:00:00.000Z',
    ]);
  });

  it('America/New_York (west of UTC): local dates, not UTC dates, and a 23 h shift on 2026-03-08', () => {
    const s = schedule({
      timeZone: 'America/New_York',
      layers: [{ name: 'l', start: '2026-03-02T09:00', rotation: { type: 'daily' }, users: ['a', 'b'] }],
    });
    // 23:00 EST on 03-02 is 03-03 in UTC; still the 03-02 shift.
    expect(who(s, '2026-03-03T04:00:00Z')).toBe('a@l 2026-03-02T14:00:00.000Z→2026-03-03T14:00:00.000Z');
    expect(who(s, '2026-03-08T12:59:00Z')).toBe('b@l 2026-03-07T14:00:00.000Z→2026-03-08T13:00:00.000Z');
    expect(who(s, '2026-03-08T13:00:00Z')).toBe('a@l 2026-03-08T13:00:00.000Z→2026-03-09T13:00:00.000Z');
  });
});

describe('whoIsOnCall: restrictions', () => {
  it('daily hours: covered only 09:00–17:00 local; the rotation keeps turning', () => {
    const s = schedule({
      layers: [
        {
          name: 'day',
          start: '2026-01-05T09:00',
          rotation: { type: 'daily' },
          users: ['alice', 'bob'],
          restrictions: [{ type: 'daily', start: '09:00', end: '17:00' }],
        },
      ],
    });
    expect(who(s, '2026-01-06T07:59:00Z')).toBe('none');
    expect(who(s, '2026-01-06T08:00:00Z')).toBe('bob@day 2026-01-06T08:00:00.000Z→2026-01-06T16:00:00.000Z');
    expect(who(s, '2026-01-06T16:00:00Z')).toBe('none');
    expect(who(s, '2026-01-07T12:00:00Z')).toBe(
      'alice@day 2026-01-07T08:00:00.000Z→2026-01-07T16:00:00.000Z',
    );
  });

  it('daily hours across midnight (17:00–09:00)', () => {
    const s = schedule({
      layers: [
        {
          name: 'night',
          start: '2026-01-05T09:00',
          rotation: { type: 'weekly' },
          users: ['owl'],
          restrictions: [{ type: 'daily', start: '17:00', end: '09:00' }],
        },
      ],
    });
    expect(who(s, '2026-01-06T22:00:00Z')).toBe(
      'owl@night 2026-01-06T16:00:00.000Z→2026-01-07T08:00:00.000Z',
    );
    expect(who(s, '2026-01-07T12:00:00Z')).toBe('none');
  });

  it('a weekly span crossing the weekend (friday 17:00 → monday 09:00)', () => {
    const s = schedule({
      layers: [
        {
          name: 'weekend',
          start: '2026-01-05T09:00',
          rotation: { type: 'daily' },
          users: ['a', 'b', 'c'],
          restrictions: [
            { type: 'weekly', startDay: 'friday', startTime: '17:00', endDay: 'monday', endTime: '09:00' },
          ],
        },
      ],
    });
    expect(who(s, '2026-01-09T15:59:00Z')).toBe('none'); // Friday 16:59
    // Friday 2026-01-09 is turn 4 → b; the turn ends Saturday 09:00.
    expect(who(s, '2026-01-09T16:00:00Z')).toBe(
      'b@weekend 2026-01-09T16:00:00.000Z→2026-01-10T08:00:00.000Z',
    );
    expect(who(s, '2026-01-11T12:00:00Z')).toBe(
      'a@weekend 2026-01-11T08:00:00.000Z→2026-01-12T08:00:00.000Z',
    );
    expect(who(s, '2026-01-12T07:59:00Z')).toBe(
      'a@weekend 2026-01-11T08:00:00.000Z→2026-01-12T08:00:00.000Z',
    );
    expect(who(s, '2026-01-12T08:00:00Z')).toBe('none'); // Monday 09:00
    expect(who(s, '2026-01-14T12:00:00Z')).toBe('none'); // Wednesday
  });
});

describe('layer precedence and overrides', () => {
  const base = {
    name: 'base',
    start: '2026-01-05T09:00',
    rotation: { type: 'daily' },
    users: ['alice', 'bob'],
  };
  const business = {
    name: 'business',
    start: '2026-01-05T00:00',
    rotation: { type: 'weekly' },
    users: ['carol'],
    restrictions: [{ type: 'daily', start: '09:00', end: '17:00' }],
  };

  it('a later layer wins where it has coverage; an earlier one fills the rest', () => {
    const s = schedule({ layers: [base, business] });
    expect(shifts(s, '2026-01-06T00:00:00Z', '2026-01-07T00:00:00Z')).toEqual([
      'alice@base 2026-01-06T00:00:00.000Z→2026-01-06T08:00:00.000Z',
      'carol@business 2026-01-06T08:00:00.000Z→2026-01-06T16:00:00.000Z',
      'bob@base 2026-01-06T16:00:00.000Z→2026-01-07T00:00:00.000Z',
    ]);
    // Reversed, the unrestricted layer hides the other entirely.
    expect(
      shifts(schedule({ layers: [business, base] }), '2026-01-06T00:00:00Z', '2026-01-07T00:00:00Z'),
    ).toEqual([
      'alice@base 2026-01-06T00:00:00.000Z→2026-01-06T08:00:00.000Z',
      'bob@base 2026-01-06T08:00:00.000Z→2026-01-07T00:00:00.000Z',
    ]);
  });

  it('overrides win; nested ones: the latest-starting wins while it lasts; then the layer resumes', () => {
    const s = schedule({
      layers: [base, business],
      overrides: [
        { user: 'dave', start: '2026-01-06T10:00:00Z', end: '2026-01-06T18:00:00Z' },
        { user: 'erin', start: '2026-01-06T12:00:00Z', end: '2026-01-06T14:00:00Z' },
      ],
    });
    expect(who(s, '2026-01-06T13:00:00Z')).toBe(
      'erin@override 2026-01-06T12:00:00.000Z→2026-01-06T14:00:00.000Z',
    );
    expect(who(s, '2026-01-06T14:00:00Z')).toBe(
      'dave@override 2026-01-06T10:00:00.000Z→2026-01-06T18:00:00.000Z',
    );
    expect(who(s, '2026-01-06T18:00:00Z')).toBe('bob@base 2026-01-06T08:00:00.000Z→2026-01-07T08:00:00.000Z');
    expect(shifts(s, '2026-01-06T00:00:00Z', '2026-01-07T00:00:00Z')).toEqual([
      'alice@base 2026-01-06T00:00:00.000Z→2026-01-06T08:00:00.000Z',
      'carol@business 2026-01-06T08:00:00.000Z→2026-01-06T10:00:00.000Z',
      'dave@override 2026-01-06T10:00:00.000Z→2026-01-06T12:00:00.000Z',
      'erin@override 2026-01-06T12:00:00.000Z→2026-01-06T14:00:00.000Z',
      'dave@override 2026-01-06T14:00:00.000Z→2026-01-06T18:00:00.000Z',
      'bob@base 2026-01-06T18:00:00.000Z→2026-01-07T00:00:00.000Z',
    ]);
  });

  it('merges adjacent pieces of the same user and source, and omits gaps', () => {
    const s = schedule({
      layers: [{ ...business, users: ['carol'], rotation: { type: 'daily', handoffTime: '12:00' } }],
      overrides: [
        { user: 'dave', start: '2026-01-07T09:00:00Z', end: '2026-01-07T10:00:00Z' },
        { user: 'dave', start: '2026-01-07T10:00:00Z', end: '2026-01-07T11:00:00Z' },
      ],
    });
    expect(shifts(s, '2026-01-06T00:00:00Z', '2026-01-08T00:00:00Z')).toEqual([
      'carol@business 2026-01-06T08:00:00.000Z→2026-01-06T16:00:00.000Z',
      'carol@business 2026-01-07T08:00:00.000Z→2026-01-07T09:00:00.000Z',
      'dave@override 2026-01-07T09:00:00.000Z→2026-01-07T11:00:00.000Z',
      'carol@business 2026-01-07T11:00:00.000Z→2026-01-07T16:00:00.000Z',
    ]);
  });
});

describe('scheduleShifts', () => {
  it('agrees with whoIsOnCall at sampled instants (layers, restrictions, overrides, both DST changes)', () => {
    const s = schedule({
      layers: [
        { name: 'base', start: '2026-03-01T09:00', rotation: { type: 'daily' }, users: ['a', 'b', 'c'] },
        {
          name: 'weekend',
          start: '2026-03-02T02:30',
          rotation: { type: 'custom', lengthHours: 17.5 },
          users: ['d', 'e'],
          restrictions: [
            { type: 'weekly', startDay: 'saturday', startTime: '02:15', endDay: 'sunday', endTime: '02:45' },
            { type: 'daily', start: '23:00', end: '01:00' },
          ],
        },
        {
          name: 'office',
          start: '2026-03-02T08:00',
          end: '2026-11-20T12:00',
          rotation: { type: 'weekly', handoffTime: '02:30' },
          users: ['f', 'g'],
          restrictions: [{ type: 'daily', start: '02:00', end: '03:00' }],
        },
      ],
      overrides: [
        { user: 'h', start: '2026-03-28T20:00:00Z', end: '2026-03-29T03:00:00Z' },
        { user: 'i', start: '2026-03-29T00:10:00Z', end: '2026-03-29T00:20:00Z' },
        { user: 'h', start: '2026-10-25T00:30:00Z', end: '2026-10-25T01:30:00Z' },
      ],
    });
    const cases: Array<[string, string]> = [
      ['2026-03-20T00:00:00Z', '2026-04-05T00:00:00Z'],
      ['2026-10-17T00:00:00Z', '2026-11-01T00:00:00Z'],
    ];
    let sampled = 0;
    for (const [from, to] of cases) {
      const list = scheduleShifts(s, new Date(from), new Date(to));
      // Every layer and the overrides really take part (else agreement proves little).
      expect([...new Set(list.map((x) => x.source))].sort()).toEqual([
        'base',
        'office',
        'override',
        'weekend',
      ]);
      for (let i = 1; i < list.length; i++) {
        expect(list[i].start.getTime()).toBeGreaterThanOrEqual(list[i - 1].end.getTime());
        const touching = list[i].start.getTime() === list[i - 1].end.getTime();
        const same = list[i].userId === list[i - 1].userId && list[i].source === list[i - 1].source;
        expect(touching && same).toBe(false);
      }
      const step = 7 * 60_000 + 13_000;
      for (let t = new Date(from).getTime(); t < new Date(to).getTime(); t += step) {
        const onCall = whoIsOnCall(s, new Date(t));
        const shift = list.find((x) => x.start.getTime() <= t && t < x.end.getTime());
        const expected =
          onCall.source === 'none'
            ? 'none'
            : `${onCall.users[0]}@${onCall.source === 'override' ? 'override' : onCall.layer}`;
        expect(`${new Date(t).toISOString()} ${shift ? `${shift.userId}@${shift.source}` : 'none'}`).toBe(
          `${new Date(t).toISOString()} ${expected}`,
        );
        sampled++;
      }
      // Every boundary, and the instant before it.
      for (const shift of list) {
        for (const t of [shift.start.getTime(), shift.end.getTime() - 1]) {
          expect(whoIsOnCall(s, new Date(t)).users).toEqual([shift.userId]);
        }
      }
    }
    expect(sampled).toBeGreaterThan(6000);
  });

  it('clips to the range and refuses ranges that are invalid or longer than 366 days', () => {
    const s = schedule({
      layers: [{ name: 'l', start: '2026-01-05T09:00', rotation: { type: 'weekly' }, users: ['a'] }],
    });
    expect(shifts(s, '2026-01-01T00:00:00Z', '2026-03-01T00:00:00Z')).toEqual([
      'a@l 2026-01-05T08:00:00.000Z→2026-03-01T00:00:00.000Z',
    ]);
    expect(shifts(s, '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z')).toEqual([]);
    expect(() =>
      scheduleShifts(s, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-03T00:00:00Z')),
    ).toThrow(RangeError);
    expect(() =>
      scheduleShifts(s, new Date('2026-02-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z')),
    ).toThrow(RangeError);
    expect(
      scheduleShifts(s, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-02T00:00:00Z')),
    ).toHaveLength(1);
  });

  it('expands a busy year quickly', () => {
    const s = schedule({
      layers: Array.from({ length: 5 }, (_, i) => ({
        name: `l${i}`,
        start: '2026-01-05T09:00',
        rotation: { type: 'daily' },
        users: ['a', 'b', 'c'],
        restrictions: [
          { type: 'daily', start: `0${i}:00`, end: `1${i}:30` },
          { type: 'weekly', startDay: 'friday', startTime: '17:00', endDay: 'monday', endTime: '09:00' },
        ],
      })),
    });
    const started = Date.now();
    const list = scheduleShifts(s, new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'));
    expect(list.length).toBeGreaterThan(700);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

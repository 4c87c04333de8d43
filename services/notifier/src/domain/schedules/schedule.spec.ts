import { parseSchedule, Schedule, scheduleUserIds } from './schedule';

function fields(input: unknown): string[] {
  const result = parseSchedule(input);
  return result.ok ? [] : result.errors.map((e) => e.field);
}

function parsed(input: unknown): Schedule {
  const result = parseSchedule(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.schedule;
}

const layer = (extra: Record<string, unknown> = {}) => ({
  name: 'primary',
  start: '2026-01-05T09:00',
  rotation: { type: 'daily' },
  users: ['alice', 'bob'],
  ...extra,
});

const valid = (extra: Record<string, unknown> = {}) => ({
  name: 'DB primary',
  timeZone: 'Europe/Berlin',
  layers: [layer()],
  ...extra,
});

describe('parseSchedule', () => {
  it('reads a schedule, resolving wall-clock times in its zone and the default hand-off time', () => {
    const schedule = parsed(
      valid({
        layers: [
          layer({ end: '2026-07-01T09:00', restrictions: [{ type: 'daily', start: '09:00', end: '17:00' }] }),
          { start: '2026-01-05T08:00:00Z', rotation: { type: 'custom', lengthHours: 12 }, users: ['carol'] },
        ],
        overrides: [
          { id: 'swap-1', user: 'dave', start: '2026-02-01T10:00:00+01:00', end: '2026-02-01T18:00' },
        ],
      }),
    );
    expect(schedule.layers[0].start.toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(schedule.layers[0].end?.toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(schedule.layers[0].rotation).toEqual({ type: 'daily', handoffTime: '09:00' });
    expect(schedule.layers[1].name).toBe('layer-2');
    expect(schedule.layers[1].restrictions).toEqual([]);
    expect(schedule.overrides[0].start.toISOString()).toBe('2026-02-01T09:00:00.000Z');
    expect(schedule.overrides[0].end.toISOString()).toBe('2026-02-01T17:00:00.000Z');
    expect(scheduleUserIds(schedule)).toEqual(['alice', 'bob', 'carol', 'dave']);
  });

  it('takes the default hand-off time from an RFC 3339 start in the schedule zone', () => {
    const schedule = parsed(
      valid({ timeZone: 'America/New_York', layers: [layer({ start: '2026-01-05T14:30:00Z' })] }),
    );
    expect(schedule.layers[0].rotation).toEqual({ type: 'daily', handoffTime: '09:30' });
  });

  it('moves a wall-clock start inside the spring-forward gap forward by the gap', () => {
    const schedule = parsed(valid({ layers: [layer({ start: '2026-03-29T02:30' })] }));
    expect(schedule.layers[0].start.toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
  });

  it('names the field of every fault', () => {
    expect(
      fields({
        name: 'x',
        timeZone: 'Mars/Olympus',
        colour: 'red',
        layers: [
          layer({
            rotation: { type: 'daily', handoffTime: '9:00' },
            restrictions: [
              { type: 'weekly', startDay: 'mon', startTime: '09:00', endDay: 'friday', endTime: '17:00' },
              { type: 'daily', start: '09:00', end: '25:00' },
              { type: 'hourly' },
            ],
          }),
          layer({ name: 'second', users: ['alice', 'bob', 'Bad Id'], rotaton: { type: 'weekly' } }),
          layer({ name: 'third', users: [], rotation: { type: 'custom', handoffTime: '09:00' } }),
        ],
        overrides: [
          { user: 'carol', start: '2026-01-01T10:00:00Z', end: '2026-01-01T09:00:00Z' },
          { user: 'carol', start: 'tomorrow', end: '2026-01-01T09:00:00Z', reason: 'swap' },
        ],
      }),
    ).toEqual([
      'colour',
      'timeZone',
      'layers[0].rotation.handoffTime',
      'layers[0].restrictions[0].startDay',
      'layers[0].restrictions[1].end',
      'layers[0].restrictions[2].type',
      'layers[1].rotaton',
      'layers[1].users[2]',
      'layers[2].rotation.handoffTime',
      'layers[2].rotation.lengthHours',
      'layers[2].users',
      'overrides[0].end',
      'overrides[1].reason',
      'overrides[1].start',
    ]);
  });

  it('requires a name, a zone and at least one layer', () => {
    expect(fields({})).toEqual(['name', 'timeZone', 'layers']);
    expect(fields(valid({ layers: [] }))).toEqual(['layers']);
    expect(fields('schedule')).toEqual(['']);
  });

  it('refuses a layer end not after its start, duplicate names and the reserved name', () => {
    expect(
      fields(
        valid({
          layers: [
            layer({ end: '2026-01-05T09:00' }),
            layer({ name: 'primary' }),
            layer({ name: 'override' }),
          ],
        }),
      ),
    ).toEqual(['layers[0].end', 'layers[1].name', 'layers[2].name']);
  });

  it('checks rotation options against the rotation type', () => {
    expect(fields(valid({ layers: [layer({ rotation: { type: 'daily', lengthHours: 8 } })] }))).toEqual([
      'layers[0].rotation.lengthHours',
    ]);
    expect(fields(valid({ layers: [layer({ rotation: { type: 'custom', lengthHours: 0 } })] }))).toEqual([
      'layers[0].rotation.lengthHours',
    ]);
    expect(fields(valid({ layers: [layer({ rotation: { type: 'monthly' } })] }))).toEqual([
      'layers[0].rotation.type',
    ]);
  });

  it('checks restrictions: times HH:MM, days monday..sunday, non-empty spans', () => {
    expect(
      fields(
        valid({
          layers: [
            layer({
              restrictions: [
                { type: 'daily', start: '09:00', end: '09:00' },
                { type: 'weekly', startDay: 'friday', startTime: '17:00', endDay: 'Monday', endTime: '0900' },
                { type: 'daily', start: '09:00', end: '17:00', days: ['monday'] },
              ],
            }),
          ],
        }),
      ),
    ).toEqual([
      'layers[0].restrictions[0].end',
      'layers[0].restrictions[1].endDay',
      'layers[0].restrictions[1].endTime',
      'layers[0].restrictions[2].days',
    ]);
  });

  it('checks overrides: user ids, instants, unique ids', () => {
    expect(
      fields(
        valid({
          overrides: [
            { id: 'a', user: 'carol', start: '2026-01-01T10:00:00Z', end: '2026-01-01T11:00:00Z' },
            { id: 'a', user: 'Carol', start: '2026-02-30T10:00', end: '2026-01-01T11:00:00Z' },
            { id: 'a', user: 'carol', start: '2026-01-01T10:00:00Z', end: '2026-01-01T11:00:00Z' },
          ],
        }),
      ),
    ).toEqual(['overrides[1].user', 'overrides[1].start', 'overrides[2].id']);
  });
});

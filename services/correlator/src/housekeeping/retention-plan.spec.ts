import {
  addDays,
  archiveBefore,
  missingArchiveColumns,
  partitionDay,
  partitionName,
  planRetention,
  utcDay,
} from './retention-plan';

const at = (iso: string) => new Date(iso);

describe('retention plan', () => {
  it('names a partition after its UTC day, and reads the day back', () => {
    expect(partitionName(at('2026-11-21T00:00:00Z'))).toBe('event_occurrences_p20261121');
    expect(partitionDay('event_occurrences_p20261121')).toEqual(at('2026-11-21T00:00:00Z'));
    expect(partitionDay('event_occurrences_default')).toBeUndefined();
    expect(partitionDay('event_occurrences_p20261340')).toBeUndefined();
    expect(partitionDay('event_occurrences_p2026112')).toBeUndefined();
  });

  it('takes days in UTC whatever the hour', () => {
    expect(utcDay(at('2026-11-21T23:59:59.999Z'))).toEqual(at('2026-11-21T00:00:00Z'));
    expect(utcDay(at('2026-11-22T00:00:00Z'))).toEqual(at('2026-11-22T00:00:00Z'));
    expect(addDays(at('2026-12-31T00:00:00Z'), 1)).toEqual(at('2027-01-01T00:00:00Z'));
  });

  it('creates today and the days ahead that are missing, each one day wide', () => {
    const plan = planRetention(
      at('2026-11-21T13:00:00Z'),
      ['event_occurrences_p20261121', 'event_occurrences_default'],
      {
        retentionDays: 30,
        daysAhead: 2,
      },
    );
    expect(plan.create).toEqual([
      {
        name: 'event_occurrences_p20261122',
        from: at('2026-11-22T00:00:00Z'),
        to: at('2026-11-23T00:00:00Z'),
      },
      {
        name: 'event_occurrences_p20261123',
        from: at('2026-11-23T00:00:00Z'),
        to: at('2026-11-24T00:00:00Z'),
      },
    ]);
  });

  it('drops the days before today minus the retention, never the default or a foreign table', () => {
    const existing = [
      'event_occurrences_default',
      'event_occurrences_p20261020', // 32 days before
      'event_occurrences_p20261021', // 31 days before: the first day past retention
      'event_occurrences_p20261022', // 30 days before: kept
      'event_occurrences_p20261121',
      'event_occurrences_manual',
    ];
    const plan = planRetention(at('2026-11-21T00:30:00Z'), existing, { retentionDays: 30, daysAhead: 0 });
    expect(plan.drop).toEqual(['event_occurrences_p20261020', 'event_occurrences_p20261021']);
    expect(plan.keepFrom).toEqual(at('2026-10-22T00:00:00Z'));
    expect(plan.create).toEqual([]);
  });

  it('archives what closed more than the archive days ago, to the millisecond', () => {
    expect(archiveBefore(at('2026-11-21T12:00:00Z'), 90)).toEqual(at('2026-08-23T12:00:00Z'));
  });

  it('gives the archive the live columns it lacks, and keeps the ones the live table dropped', () => {
    const live = [
      { name: 'id', type: 'uuid' },
      { name: 'trend', type: 'text' },
      { name: 'recent_occurrences', type: 'timestamp with time zone[]' },
    ];
    const archive = [
      { name: 'id', type: 'uuid' },
      { name: 'legacy', type: 'text' },
      { name: 'archived_at', type: 'timestamp with time zone' },
    ];
    expect(missingArchiveColumns(live, archive)).toEqual([
      { name: 'trend', type: 'text' },
      { name: 'recent_occurrences', type: 'timestamp with time zone[]' },
    ]);
    expect(missingArchiveColumns(live, [...archive, ...live])).toEqual([]);
  });
});

import { ClassifiedEventV1, validatePlain } from '@vigil/contracts';
import { formatInterval, heartbeatFingerprint, missEvent, recoveryEvent } from './heartbeat-events';
import type { HeartbeatRow } from './heartbeats.rows';

const row: HeartbeatRow = {
  id: '6f1c0b52-7f0e-4c57-9c64-3c3f4f0b9a11',
  name: 'nightly backup',
  matchers: ['source="backup"'],
  intervalSeconds: 90_000,
  schedule: null,
  severity: 'critical',
  node: null,
  service: 'storage',
  labels: { team: 'core' },
  comment: null,
  createdBy: 'alice',
  createdAt: new Date('2026-03-01T00:00:00Z'),
  updatedAt: new Date('2026-03-01T00:00:00Z'),
  lastSeenAt: new Date('2026-03-02T01:00:00Z'),
  deadlineAt: null,
  missingSince: new Date('2026-03-03T02:00:00Z'),
  misses: 1,
  alertId: null,
};

describe('heartbeat events', () => {
  const deadline = new Date('2026-03-03T02:00:00Z');

  it('a miss is a valid classified event of the heartbeat fingerprint, with a deterministic id', () => {
    const miss = missEvent(row, deadline, 1);
    expect(validatePlain(ClassifiedEventV1, miss)).toMatchObject({ ok: true });
    expect(miss).toMatchObject({
      type: 'HeartbeatMissing',
      fingerprint: heartbeatFingerprint(row.id),
      severity: 'critical',
      node: 'nightly backup',
      service: 'storage',
      labels: { team: 'core', heartbeat: 'nightly backup' },
      occurredAt: deadline.toISOString(),
      attributes: { heartbeatId: row.id, timeoutSeconds: 0 },
    });
    expect(miss.summary).toContain('for 25 h');
    expect(missEvent(row, deadline, 1).id).toBe(miss.id);
    expect(missEvent(row, deadline, 2).id).not.toBe(miss.id);
  });

  it('a recovery clears no earlier than the miss it ends', () => {
    const late = recoveryEvent(row, 1, new Date('2026-03-03T01:59:00Z'), 'resumed');
    expect(validatePlain(ClassifiedEventV1, late)).toMatchObject({ ok: true });
    expect(late).toMatchObject({ severity: 'cleared', occurredAt: '2026-03-03T02:00:00.000Z' });
    const later = recoveryEvent(row, 1, new Date('2026-03-03T05:00:00Z'), 'resumed');
    expect(later.occurredAt).toBe('2026-03-03T05:00:00.000Z');
    expect(later.id).toBe(late.id);
  });

  it('formats intervals in their largest whole unit', () => {
    expect([59, 120, 7200, 172_800].map(formatInterval)).toEqual(['59 s', '2 min', '2 h', '2 d']);
  });
});

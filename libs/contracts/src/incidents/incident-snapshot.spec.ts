import { IncidentSnapshotSource, toIncidentSnapshot } from './incident-snapshot';

const incident: IncidentSnapshotSource = {
  id: '6f1c0b52-7f0e-4c57-9c64-3c3f4f0b9a11',
  status: 'pending',
  severity: 'major',
  title: 'host cascade: node=db-1',
  ruleId: '0b6f3c2e-4a1d-4c7e-9f00-1d2e3f4a5b6c',
  ruleName: 'host cascade',
  ruleVersion: 3,
  resolvePolicy: 'all',
  groupKey: 'node=db-1',
  groupLabels: { node: 'db-1' },
  alertCount: 1,
  firingCount: 1,
  firstAlertId: '1a2b3c4d-0000-4000-8000-000000000001',
  lastAlertId: '1a2b3c4d-0000-4000-8000-000000000001',
  startedAt: new Date('2030-01-01T00:00:00Z'),
  openedAt: null,
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
};

describe('toIncidentSnapshot', () => {
  it('shows a pending incident as opening when it started', () => {
    expect(toIncidentSnapshot(incident)).toMatchObject({
      status: 'open',
      openedAt: '2030-01-01T00:00:00.000Z',
    });
    expect(toIncidentSnapshot(incident)).not.toHaveProperty('acknowledgedAt');
  });

  it('carries the acknowledgement and resolution it has', () => {
    const snapshot = toIncidentSnapshot({
      ...incident,
      status: 'resolved',
      openedAt: new Date('2030-01-01T00:01:00Z'),
      acknowledgedAt: new Date('2030-01-01T00:02:00Z'),
      acknowledgedBy: 'ops',
      resolvedAt: new Date('2030-01-01T00:03:00Z'),
    });
    expect(snapshot).toMatchObject({
      status: 'resolved',
      openedAt: '2030-01-01T00:01:00.000Z',
      acknowledgedAt: '2030-01-01T00:02:00.000Z',
      acknowledgedBy: 'ops',
      resolvedAt: '2030-01-01T00:03:00.000Z',
    });
  });
});

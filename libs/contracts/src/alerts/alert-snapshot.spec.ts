import { validateWithClass } from '../validation';
import { AlertSnapshotV1 } from './alert-changed.v1';
import { AlertSnapshotSource, toAlertSnapshot } from './alert-snapshot';

const alert: AlertSnapshotSource = {
  id: '6f1c0b52-7f0e-4c57-9c64-3c3f4f0b9a11',
  fingerprint: 'fp',
  status: 'open',
  severity: 'major',
  previousSeverity: null,
  tally: 2,
  firstOccurrence: new Date('2030-01-01T00:00:00Z'),
  lastOccurrence: new Date('2030-01-01T00:05:00Z'),
  summary: 'disk full',
  node: 'db-1',
  source: 'prometheus',
  type: 'DiskFull',
  category: 'operational',
  service: null,
  environment: null,
  labels: { team: 'db' },
  priority: null,
  team: null,
  trend: 'no_change',
  flapping: false,
  assignee: null,
  snoozedUntil: null,
  suppressedBy: null,
  inhibitedBy: null,
};

describe('toAlertSnapshot', () => {
  it('leaves out what the alert lacks, rather than sending null, and gives times as ISO strings', () => {
    const snapshot = toAlertSnapshot(alert);
    expect(snapshot).toEqual({
      id: alert.id,
      fingerprint: 'fp',
      status: 'open',
      severity: 'major',
      tally: 2,
      firstOccurrence: '2030-01-01T00:00:00.000Z',
      lastOccurrence: '2030-01-01T00:05:00.000Z',
      summary: 'disk full',
      node: 'db-1',
      source: 'prometheus',
      type: 'DiskFull',
      category: 'operational',
      labels: { team: 'db' },
      trend: 'no_change',
      flapping: false,
    });
    expect(validateWithClass(AlertSnapshotV1, snapshot)).toBe(true);
  });

  it('carries the optional fields the alert has', () => {
    const snapshot = toAlertSnapshot({
      ...alert,
      previousSeverity: 'minor',
      service: 'billing',
      priority: 'P2',
      snoozedUntil: new Date('2030-01-02T00:00:00Z'),
    });
    expect(snapshot).toMatchObject({
      previousSeverity: 'minor',
      service: 'billing',
      priority: 'P2',
      snoozedUntil: '2030-01-02T00:00:00.000Z',
    });
  });
});

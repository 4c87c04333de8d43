import { ALERT_CHANGES, AlertChangedV1, SchemaIds } from '@vigil/contracts';
import { transitionFeedBody as webhookBody } from '../channels';
import {
  displayTarget,
  feedNotification,
  notificationKey,
  shouldNotify,
  suppression,
  targetId,
  transitionKind,
} from './feed-policy';

const message: AlertChangedV1 = {
  schema: SchemaIds.AlertChangedV1,
  alertId: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
  sequence: 3,
  change: 'reopened',
  changedAt: '2026-05-01T12:00:00.000Z',
  causeEventId: 'b1f0c1d2-0000-5000-8000-000000000001',
  causeReceivedAt: '2026-05-01T11:59:59.900Z',
  alert: {
    id: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
    fingerprint: 'fp',
    status: 'open',
    severity: 'major',
    tally: 4,
    firstOccurrence: '2026-05-01T10:00:00.000Z',
    lastOccurrence: '2026-05-01T12:00:00.000Z',
    summary: 'disk full',
    node: 'web-1',
    source: 'demo',
    type: 'DiskFull',
    category: 'os',
    labels: {},
  },
};

describe('notification policy', () => {
  it('pages on opened, reopened, resolved, expired, unsnoozed, flapping and the end of silences, not on operator or severity changes', () => {
    const paged = ALERT_CHANGES.filter((c) => shouldNotify(c));
    expect(paged).toEqual([
      'opened',
      'reopened',
      'resolved',
      'unsnoozed',
      'expired',
      'flapping_started',
      'flapping_stopped',
      'released',
      'maintenance_ending',
    ]);
  });

  it('honours notify: false, saying why', () => {
    expect(suppression(message)).toBeUndefined();
    expect(suppression({ ...message, notify: true })).toBeUndefined();
    expect(suppression({ ...message, notify: false, alert: { ...message.alert, status: 'snoozed' } })).toBe(
      'the alert is snoozed',
    );
    expect(suppression({ ...message, notify: false, alert: { ...message.alert, flapping: true } })).toMatch(
      /flapping/,
    );
  });

  it('keys a notification by alert, transition and target', () => {
    const a = 'https://hooks.example/a';
    expect(notificationKey(message, a)).toBe(notificationKey({ ...message }, a));
    expect(notificationKey(message, a)).not.toBe(notificationKey({ ...message, sequence: 4 }, a));
    expect(notificationKey(message, a)).not.toBe(notificationKey(message, 'https://hooks.example/b'));
    expect(notificationKey(message, a)).not.toContain('hooks.example');
    expect(targetId(a)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never shows credentials or query strings of a target', () => {
    expect(displayTarget('https://user:secret@hooks.example/x?token=abc')).toBe('https://hooks.example/x?…');
    expect(displayTarget('not a url')).toBe('<invalid url>');
  });

  it('builds the webhook body from the change', () => {
    const now = new Date('2026-05-01T12:00:01.000Z');
    expect(webhookBody(message, 'key-1', now)).toEqual({
      version: 1,
      notificationId: 'key-1',
      kind: 'alert.reopened',
      sentAt: now.toISOString(),
      sequence: 3,
      alert: message.alert,
      cause: { eventId: message.causeEventId, actor: 'system', commandId: null },
    });
  });

  it("queues a transition as a notification of the alert, carrying the change for the feed's body", () => {
    const now = new Date('2026-05-01T12:00:01.000Z');
    expect(feedNotification({ ...message, actor: 'carol' }, now)).toEqual({
      kind: 'triggered',
      createdAt: now.toISOString(),
      subject: expect.objectContaining({
        kind: 'alert',
        id: message.alertId,
        title: 'disk full',
        node: 'web-1',
      }),
      links: {},
      actor: 'carol',
      transition: { ...message, actor: 'carol' },
    });
    expect(ALERT_CHANGES.filter((c) => shouldNotify(c)).map((c) => [c, transitionKind(c)])).toEqual([
      ['opened', 'triggered'],
      ['reopened', 'triggered'],
      ['resolved', 'resolved'],
      ['unsnoozed', 'triggered'],
      ['expired', 'resolved'],
      ['flapping_started', 'updated'],
      ['flapping_stopped', 'updated'],
      ['released', 'triggered'],
      ['maintenance_ending', 'updated'],
    ]);
  });
});

import { classifiedEvent } from '@vigil/testing';
import { PairingRules } from '../pairing';
import { LifecyclePolicy } from './alert-lifecycle';
import { planBatch } from './batch-plan';
import type { AlertRow } from './alerts.rows';

const policy: LifecyclePolicy = {
  defaultTimeoutSeconds: 60,
  reopenWindowSeconds: 60,
  flapThreshold: 0,
  flapWindowSeconds: 60,
};
const pairing = new PairingRules([{ problem: 'LinkDown', resolution: 'LinkUp', match: ['node'] }]);
const now = new Date('2026-05-01T12:00:00Z');
const at = (s: number) => new Date(now.getTime() + s * 1000).toISOString();
const plan = (
  events: ReturnType<typeof classifiedEvent>[],
  existing = new Map<string, AlertRow>(),
  when = now,
) =>
  planBatch(
    events.map((event) => ({ event, headers: {} })),
    existing,
    new Set(),
    { policy, pairing, now: when },
  );

describe('planBatch', () => {
  it('writes one history row and one message per change, and the timers of each alert as they end', () => {
    const p = plan([
      classifiedEvent({ fingerprint: 'a', occurredAt: at(0) }),
      classifiedEvent({ fingerprint: 'a', occurredAt: at(1) }),
      classifiedEvent({ fingerprint: 'a', occurredAt: at(2), severity: 'cleared' }),
    ]);
    expect(p.inserts).toHaveLength(1);
    expect(p.updates).toHaveLength(0);
    expect(p.history?.map((h) => [h.sequence, h.action, h.from_status, h.to_status, h.actor])).toEqual([
      [1, 'opened', null, 'open', 'system'],
      [2, 'resolved', 'open', 'resolved', 'system'],
    ]);
    expect(
      p.outbox.map((m) => [m.payload.sequence, m.payload.change, m.payload.alert.status, m.payload.notify]),
    ).toEqual([
      [1, 'opened', 'open', true],
      [2, 'resolved', 'resolved', true],
    ]);
    const id = p.inserts[0].id;
    expect(p.timers).toEqual(
      expect.arrayContaining([
        { alert_id: id, kind: 'expire', due_at: null },
        { alert_id: id, kind: 'close', due_at: new Date(now.getTime() + 60_000) },
      ]),
    );
  });

  it('resolves the paired problems of a resolution event, which opens no alert of its own', () => {
    const opened = plan([
      classifiedEvent({ fingerprint: 'down-1', type: 'LinkDown', node: 'sw-1', occurredAt: at(0) }),
    ]);
    const existing = new Map([['down-1', opened.inserts[0]]]);
    const up = classifiedEvent({
      fingerprint: 'up-1',
      type: 'LinkUp',
      node: 'sw-1',
      severity: 'indeterminate',
      occurredAt: at(5),
    });
    const other = classifiedEvent({
      fingerprint: 'up-2',
      type: 'LinkUp',
      node: 'sw-9',
      severity: 'indeterminate',
      occurredAt: at(5),
    });
    const p = plan([up, other], existing);
    expect(p.outcomes).toEqual([
      { result: 'resolution', resolved: [opened.inserts[0].id] },
      { result: 'resolution', resolved: [] },
    ]);
    expect(p.inserts).toEqual([]);
    expect(p.updates.map((a) => a.status)).toEqual(['resolved']);
    expect(p.history).toMatchObject([
      { action: 'resolved', event_id: up.id, details: { pairing: { problem: 'LinkDown' } } },
    ]);
    expect(p.occurrences.map((o) => o.alertId)).toEqual([null, null]);
  });

  it('closes an alert whose reopen window passed and opens a new one for the fingerprint', () => {
    const first = plan([
      classifiedEvent({ fingerprint: 'w', occurredAt: at(0) }),
      classifiedEvent({ fingerprint: 'w', occurredAt: at(1), severity: 'cleared' }),
    ]);
    const old = first.inserts[0];
    const later = new Date(now.getTime() + 120_000);
    const p = plan(
      [classifiedEvent({ fingerprint: 'w', occurredAt: at(119) })],
      new Map([['w', old]]),
      later,
    );
    expect(p.updates).toMatchObject([{ id: old.id, status: 'closed' }]);
    expect(p.inserts).toHaveLength(1);
    expect(p.inserts[0].id).not.toBe(old.id);
    expect(p.outcomes).toEqual([{ result: 'recorded', alertId: p.inserts[0].id, change: 'opened' }]);
    expect(p.history?.map((h) => [h.alert_id, h.action])).toEqual([
      [old.id, 'closed'],
      [p.inserts[0].id, 'opened'],
    ]);
  });
});

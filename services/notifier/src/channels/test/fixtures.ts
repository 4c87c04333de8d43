import type { Notification } from '../notification';

/** A new critical alert with every field a channel shows, and signed-looking action links. */
export function triggeredAlert(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'notif-7c1e2a90',
    kind: 'triggered',
    createdAt: '2026-05-01T12:00:05.000Z',
    subject: {
      kind: 'alert',
      id: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
      title: '/var 97% full',
      summary: 'Filesystem /var on web-1 is 97% full (threshold 95%).',
      severity: 'critical',
      status: 'open',
      priority: 'P1',
      node: 'web-1',
      service: 'checkout',
      environment: 'prod',
      source: 'demo',
      eventType: 'DiskFull',
      labels: { team: 'payments', mount: '/var' },
      counts: { occurrences: 3 },
      firstSeenAt: '2026-05-01T11:50:00.000Z',
      lastSeenAt: '2026-05-01T12:00:00.000Z',
    },
    links: {
      console: 'https://vigil.example.org/alerts/0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
      acknowledge: 'https://vigil.example.org/api/v1/actions/v1.ack-token.sig',
      resolve: 'https://vigil.example.org/api/v1/actions/v1.resolve-token.sig',
    },
    recipient: { name: 'Ada', address: 'ada@example.org' },
    ...overrides,
  };
}

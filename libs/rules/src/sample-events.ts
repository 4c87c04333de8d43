import { AcceptedEventV1, SchemaIds } from '@vigil/contracts';

/** A valid accepted event with `overrides` applied, for this library's specs (not exported). */
export function acceptedEvent(overrides: Partial<AcceptedEventV1> = {}): AcceptedEventV1 {
  return {
    schema: SchemaIds.AcceptedEventV1,
    id: '6f1c1d52-8c1e-5b7a-9a53-3c1f3f0b8e21',
    source: 'monitoring',
    node: 'web-01.example.com',
    type: 'DiskFull',
    summary: 'disk /var is 95% full',
    severity: 'major',
    occurredAt: '2026-03-02T10:15:00Z',
    receivedAt: '2026-03-02T10:15:01Z',
    labels: { env: 'prod' },
    attributes: {},
    fingerprint: 'fp-web-01-diskfull',
    origin: { via: 'nats' },
    ...overrides,
  };
}

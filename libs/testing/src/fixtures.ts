import { randomUUID } from 'node:crypto';
import { AcceptedEventV1, ClassifiedEventV1, SchemaIds } from '@vigil/contracts';

/** A valid classified event; each call gets a fresh id unless one is given. */
export function classifiedEvent(overrides: Partial<ClassifiedEventV1> = {}): ClassifiedEventV1 {
  const now = new Date().toISOString();
  return {
    schema: SchemaIds.ClassifiedEventV1,
    id: randomUUID(),
    source: 'test',
    node: 'web-1',
    type: 'DiskFull',
    summary: 'disk full',
    severity: 'major',
    occurredAt: now,
    receivedAt: now,
    labels: {},
    attributes: {},
    fingerprint: 'fp-default',
    origin: { via: 'nats' },
    category: 'os',
    priority: 'P3',
    impact: 'medium',
    classifiedAt: now,
    classification: { ruleSet: 'default', matchedRules: [] },
    ...overrides,
  };
}

/** A valid accepted event; each call gets a fresh id unless one is given. */
export function acceptedEvent(overrides: Partial<AcceptedEventV1> = {}): AcceptedEventV1 {
  const {
    schema: _classified,
    category: _category,
    priority: _priority,
    impact: _impact,
    classifiedAt: _at,
    classification: _c,
    ...fields
  } = classifiedEvent();
  return { ...fields, schema: SchemaIds.AcceptedEventV1, ...overrides };
}

import { CATEGORIES } from '../category';
import { SchemaIds } from '../events/accepted-event.v1';
import {
  LABELS_SCHEMA,
  nonEmptyString,
  optional,
  optionalEnum,
  TIMESTAMP_SCHEMA,
  UUID_SCHEMA,
} from '../schema-parts';
import { SEVERITIES } from '../severity';
import { ALERT_CHANGES, ALERT_STATUSES, ALERT_TRENDS } from './alert-changed.v1';

/** JSON Schema of `AlertChangedV1`: the same rules, checked fast on the hot path. */
export const ALERT_CHANGED_V1_SCHEMA = {
  $id: 'https://vigil.dev/schemas/alert-changed.v1.json',
  type: 'object',
  additionalProperties: false,
  required: ['schema', 'alertId', 'sequence', 'change', 'changedAt', 'causeReceivedAt', 'alert'],
  properties: {
    schema: { const: SchemaIds.AlertChangedV1 },
    alertId: UUID_SCHEMA,
    sequence: { type: 'integer', minimum: 1 },
    change: { enum: [...ALERT_CHANGES] },
    changedAt: TIMESTAMP_SCHEMA,
    causeEventId: optional({ type: 'string' }),
    causeReceivedAt: TIMESTAMP_SCHEMA,
    actor: optional({ type: 'string' }),
    commandId: optional({ type: 'string' }),
    notify: optional({ type: 'boolean' }),
    alert: {
      type: 'object',
      additionalProperties: false,
      required: [
        'id',
        'fingerprint',
        'status',
        'severity',
        'tally',
        'firstOccurrence',
        'lastOccurrence',
        'summary',
        'node',
        'source',
        'type',
        'category',
        'labels',
      ],
      properties: {
        id: UUID_SCHEMA,
        fingerprint: nonEmptyString(),
        status: { enum: [...ALERT_STATUSES] },
        severity: { enum: [...SEVERITIES] },
        previousSeverity: optionalEnum(SEVERITIES),
        tally: { type: 'integer', minimum: 1 },
        firstOccurrence: TIMESTAMP_SCHEMA,
        lastOccurrence: TIMESTAMP_SCHEMA,
        summary: { type: 'string' },
        node: { type: 'string' },
        source: { type: 'string' },
        type: { type: 'string' },
        category: { enum: [...CATEGORIES] },
        service: optional({ type: 'string' }),
        environment: optional({ type: 'string' }),
        labels: LABELS_SCHEMA,
        trend: optionalEnum(ALERT_TRENDS),
        flapping: optional({ type: 'boolean' }),
        assignee: optional({ type: 'string' }),
        snoozedUntil: optional(TIMESTAMP_SCHEMA),
      },
    },
  },
};

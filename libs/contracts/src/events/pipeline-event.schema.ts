import { CATEGORIES, IMPACTS, PRIORITIES } from '../category';
import { LIMITS } from '../limits';
import {
  LABELS_SCHEMA,
  nonEmptyString,
  optional,
  optionalEnum,
  TIMESTAMP_SCHEMA,
  UUID_SCHEMA,
} from '../schema-parts';
import { SEVERITIES } from '../severity';
import { INGEST_CHANNELS, INGEST_PROTOCOLS, SchemaIds } from './accepted-event.v1';

/** The fields every pipeline event carries (`PipelineEventV1`). */
const PIPELINE_EVENT_PROPERTIES = {
  id: UUID_SCHEMA,
  producerId: optional({ type: 'string', maxLength: LIMITS.idLength }),
  source: nonEmptyString(),
  node: nonEmptyString(),
  type: nonEmptyString(),
  summary: { type: 'string' },
  severity: { enum: [...SEVERITIES] },
  occurredAt: TIMESTAMP_SCHEMA,
  receivedAt: TIMESTAMP_SCHEMA,
  service: optional({ type: 'string' }),
  environment: optional({ type: 'string' }),
  labels: LABELS_SCHEMA,
  attributes: { type: 'object' },
  fingerprint: nonEmptyString(),
  origin: {
    type: 'object',
    additionalProperties: false,
    required: ['via'],
    properties: {
      via: { enum: [...INGEST_CHANNELS] },
      protocol: optionalEnum(INGEST_PROTOCOLS),
      from: optional({ type: 'string' }),
    },
  },
};

const PIPELINE_EVENT_REQUIRED = [
  'schema',
  'id',
  'source',
  'node',
  'type',
  'summary',
  'severity',
  'occurredAt',
  'receivedAt',
  'labels',
  'attributes',
  'fingerprint',
  'origin',
];

/** JSON Schema of `AcceptedEventV1`: the same rules, checked fast on the hot path. */
export const ACCEPTED_EVENT_V1_SCHEMA = {
  $id: 'https://vigil.dev/schemas/accepted-event.v1.json',
  type: 'object',
  additionalProperties: false,
  required: PIPELINE_EVENT_REQUIRED,
  properties: {
    schema: { const: SchemaIds.AcceptedEventV1 },
    ...PIPELINE_EVENT_PROPERTIES,
    category: optionalEnum(CATEGORIES),
  },
};

/** JSON Schema of `ClassifiedEventV1`. */
export const CLASSIFIED_EVENT_V1_SCHEMA = {
  $id: 'https://vigil.dev/schemas/classified-event.v1.json',
  type: 'object',
  additionalProperties: false,
  required: [...PIPELINE_EVENT_REQUIRED, 'category', 'priority', 'impact', 'classifiedAt', 'classification'],
  properties: {
    schema: { const: SchemaIds.ClassifiedEventV1 },
    ...PIPELINE_EVENT_PROPERTIES,
    category: { enum: [...CATEGORIES] },
    priority: { enum: [...PRIORITIES] },
    impact: { enum: [...IMPACTS] },
    team: optional(nonEmptyString(LIMITS.contextLength)),
    owner: optional(nonEmptyString(LIMITS.contextLength)),
    classifiedAt: TIMESTAMP_SCHEMA,
    classification: {
      type: 'object',
      additionalProperties: false,
      required: ['ruleSet', 'matchedRules'],
      properties: {
        ruleSet: { type: 'string' },
        ruleSetVersion: optional({ type: 'string' }),
        matchedRules: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

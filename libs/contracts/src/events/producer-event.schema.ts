import { CATEGORIES } from '../category';
import { EVENT_ID_PATTERN, LIMITS, SOURCE_PATTERN } from '../limits';
import { LABELS_SCHEMA, nonEmptyString as nonEmpty, optional, optionalEnum } from '../schema-parts';
import { severityStringPattern } from '../severity';

/**
 * JSON Schema (draft 2020-12) of the producer event v1, for producers written in other languages.
 * Built from the same limits and tables as `ProducerEventV1`; `npx vigil schema` prints it and
 * libs/contracts/schema/producer-event.v1.json is the committed copy (a test keeps both equal).
 */
export const PRODUCER_EVENT_V1_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://vigil.dev/schemas/producer-event.v1.json',
  title: 'Vigil producer event v1',
  description:
    'An event published to the NATS subject events.raw.<source> or POSTed to /api/v1/events. ' +
    'Unknown properties are rejected.',
  type: 'object',
  additionalProperties: false,
  required: ['source', 'node', 'type', 'summary', 'severity'],
  properties: {
    id: optional({
      type: 'string',
      minLength: 1,
      maxLength: LIMITS.idLength,
      pattern: EVENT_ID_PATTERN.source,
      description: "The producer's unique id; a re-send with the same id is ignored. Generated if absent.",
    }),
    source: {
      type: 'string',
      minLength: 1,
      maxLength: LIMITS.sourceLength,
      pattern: SOURCE_PATTERN.source,
      description: 'The producer or agent, e.g. prometheus, syslog, billing-api. One NATS subject token.',
    },
    node: nonEmpty(LIMITS.nodeLength, 'The host, configuration item or resource the event is about.'),
    type: nonEmpty(LIMITS.typeLength, 'What happened, e.g. FilesystemFull, JobFailed.'),
    summary: nonEmpty(LIMITS.summaryLength, 'One human-readable line.'),
    severity: {
      description:
        'X.733 perceived severity (critical, major, minor, warning, indeterminate, cleared), an alias ' +
        '(error, info, ok, … case-insensitive) or the numeric 0 (cleared) to 5 (critical).',
      oneOf: [
        { type: 'integer', minimum: 0, maximum: 5 },
        { type: 'string', pattern: severityStringPattern() },
      ],
    },
    occurredAt: optional({
      type: 'string',
      format: 'date-time',
      description: 'When it happened at the source, RFC 3339 with a time zone. Defaults to receipt time.',
    }),
    category: { ...optionalEnum(CATEGORIES), description: 'The event type, if the producer knows it.' },
    service: optional(nonEmpty(LIMITS.contextLength, 'The owning service.')),
    environment: optional(nonEmpty(LIMITS.contextLength, 'The environment, e.g. production.')),
    labels: optional({
      ...LABELS_SCHEMA,
      description: 'String labels used for routing, grouping and the default fingerprint.',
    }),
    attributes: optional({ type: 'object', description: 'Free-form JSON details.' }),
    fingerprint: optional(
      nonEmpty(
        LIMITS.fingerprintLength,
        'Explicit de-duplication key. Default: a hash of source, node, type and the sorted labels.',
      ),
    ),
  },
} as const;

import { ALERT_CHANGES, ALERT_STATUSES, ALERT_TRENDS, AlertChangedV1 } from './alerts/alert-changed.v1';
import { CATEGORIES, IMPACTS, PRIORITIES } from './category';
import { AcceptedEventV1, INGEST_CHANNELS, INGEST_PROTOCOLS, SchemaIds } from './events/accepted-event.v1';
import { ClassifiedEventV1 } from './events/classified-event.v1';
import { ProducerEventV1 } from './events/producer-event.v1';
import {
  INCIDENT_CHANGES,
  INCIDENT_RESOLVE_POLICIES,
  INCIDENT_STATUSES,
  IncidentChangedV1,
} from './incidents/incident-changed.v1';
import { LIMITS } from './limits';
import './schemas';
import { SEVERITIES } from './severity';
import { validatePlain, validateWithClass, validateWithSchema } from './validation';

const at = '2026-05-01T12:00:00.000Z';
const uuid = '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11';

const accepted = {
  schema: SchemaIds.AcceptedEventV1,
  id: uuid,
  producerId: 'p-1',
  source: 'demo',
  node: 'web-1',
  type: 'DiskFull',
  summary: 'disk full',
  severity: 'major',
  occurredAt: at,
  receivedAt: at,
  service: 'api',
  environment: 'prod',
  labels: { env: 'prod' },
  attributes: { a: 1 },
  fingerprint: 'fp',
  origin: { via: 'nats', protocol: 'cloudevents', from: 'events.raw.demo' },
  category: 'os',
};
const classified = {
  ...accepted,
  schema: SchemaIds.ClassifiedEventV1,
  priority: 'P2',
  impact: 'high',
  team: 'storage',
  owner: 'alice',
  classifiedAt: at,
  classification: { ruleSet: 'default', ruleSetVersion: '3', matchedRules: ['r1'] },
};
const alertChanged = {
  schema: SchemaIds.AlertChangedV1,
  alertId: uuid,
  sequence: 2,
  change: 'resolved',
  changedAt: at,
  causeEventId: uuid,
  causeReceivedAt: at,
  actor: 'alice',
  commandId: 'cmd-1',
  notify: false,
  alert: {
    id: uuid,
    fingerprint: 'fp',
    status: 'resolved',
    severity: 'major',
    previousSeverity: 'minor',
    tally: 3,
    firstOccurrence: at,
    lastOccurrence: at,
    summary: 's',
    node: 'n',
    source: 'src',
    type: 't',
    category: 'os',
    service: 'api',
    environment: 'prod',
    labels: {},
    trend: 'less_severe',
    flapping: true,
    assignee: 'bob',
    snoozedUntil: at,
  },
};
const incidentChanged = {
  schema: SchemaIds.IncidentChangedV1,
  incidentId: uuid,
  sequence: 3,
  change: 'alert_added',
  changedAt: at,
  causeReceivedAt: at,
  alertId: uuid,
  actor: 'system',
  commandId: 'cmd-2',
  notify: true,
  incident: {
    id: uuid,
    status: 'acknowledged',
    severity: 'critical',
    title: 'db-1 down',
    ruleId: uuid,
    ruleName: 'host cascade',
    ruleVersion: 4,
    resolvePolicy: 'first',
    groupKey: 'node=db-1',
    groupLabels: { node: 'db-1' },
    alertCount: 3,
    firingCount: 2,
    firstAlertId: uuid,
    lastAlertId: uuid,
    openedAt: at,
    acknowledgedAt: at,
    acknowledgedBy: 'carol',
    resolvedAt: at,
  },
};

/** Values that probe every rule: wrong types, empties, near-misses of each format and enum. */
const probes: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  'x',
  'x'.repeat(LIMITS.idLength + 1),
  0,
  1,
  -1,
  2.5,
  true,
  {},
  [],
  ['a'],
  { k: 'v' },
  { k: 1 },
  { '9bad': 'v' },
  uuid,
  uuid.toUpperCase(),
  `urn:uuid:${uuid}`,
  uuid.slice(1),
  at,
  '2026-05-01T12:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-05-01T12:00:00',
  '2026-06-30T23:59:60Z',
  ...SEVERITIES,
  'MAJOR',
  ...CATEGORIES,
  ...ALERT_STATUSES,
  ...ALERT_CHANGES,
  ...ALERT_TRENDS,
  ...INCIDENT_STATUSES,
  ...INCIDENT_CHANGES,
  ...INCIDENT_RESOLVE_POLICIES,
  false,
  ...INGEST_CHANNELS,
  ...INGEST_PROTOCOLS,
  ...PRIORITIES,
  ...IMPACTS,
  ...Object.values(SchemaIds),
];

type Doc = Record<string, unknown>;

function withValue(doc: Doc, path: string[], value: unknown): Doc {
  const copy = structuredClone(doc);
  let target: Doc = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Doc;
  const last = path[path.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

function paths(doc: Doc, prefix: string[] = []): string[][] {
  return Object.entries(doc).flatMap(([key, value]) =>
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    key !== 'labels' &&
    key !== 'attributes' &&
    key !== 'groupLabels'
      ? [[...prefix, key], ...paths(value as Doc, [...prefix, key])]
      : [[...prefix, key]],
  );
}

describe.each<[string, new () => object, Doc]>([
  ['AcceptedEventV1', AcceptedEventV1, accepted],
  ['ClassifiedEventV1', ClassifiedEventV1, classified],
  ['AlertChangedV1', AlertChangedV1, alertChanged],
  ['IncidentChangedV1', IncidentChangedV1, incidentChanged],
])('the schema of %s', (_name, cls, valid) => {
  it('accepts the valid example, like the class', () => {
    expect(validateWithClass(cls, valid)).toBe(true);
    expect(validateWithSchema(cls, valid)).toBe(true);
  });

  it('agrees with the class on every probe value in every field, nested ones included', () => {
    for (const path of [
      ...paths(valid),
      ['unexpected'],
      ...paths(valid).map((p) => [...p.slice(0, -1), 'extra']),
    ]) {
      for (const value of probes) {
        const doc = withValue(valid, path, value);
        const verdicts = { schema: validateWithSchema(cls, doc), class: validateWithClass(cls, doc) };
        expect({ path: path.join('.'), value, ...verdicts }).toEqual({
          path: path.join('.'),
          value,
          schema: verdicts.class,
          class: verdicts.class,
        });
      }
    }
  });

  it('is what validatePlain uses: a valid document comes back as it is', () => {
    expect(validatePlain(cls, valid)).toEqual({ ok: true, value: valid });
  });
});

describe('validatePlain on a refusal', () => {
  it('explains it with the class rules, naming the field', () => {
    const result = validatePlain(ProducerEventV1, {
      source: 'demo',
      node: 'n',
      type: 't',
      summary: 's',
      severity: 'x',
    });
    expect(result).toMatchObject({ ok: false, errors: [{ field: 'severity' }] });
  });
});

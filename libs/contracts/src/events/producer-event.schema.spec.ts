import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { getMetadataStorage } from 'class-validator';
import { CATEGORIES } from '../category';
import { LIMITS } from '../limits';
import { SEVERITY_ALIASES } from '../severity';
import { PRODUCER_EVENT_V1_SCHEMA } from './producer-event.schema';
import { validateWithClass } from '../validation';
import { ProducerEventV1 } from './producer-event.v1';

/** class-validator alone: the fast schema path must not be what is compared with the schema. */
const classAccepts = (event: unknown) => validateWithClass(ProducerEventV1, event);

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const schemaAccepts = ajv.compile(PRODUCER_EVENT_V1_SCHEMA);

const base = { source: 'demo', node: 'web-1', type: 'DiskFull', summary: 'disk full', severity: 'major' };

/** A small deterministic generator, so a failure names a reproducible case. */
function rng(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const pools: Record<string, unknown[]> = {
  id: [undefined, null, 'evt-1', '', 'a b', 'x'.repeat(LIMITS.idLength), 'x'.repeat(LIMITS.idLength + 1), 7],
  source: [undefined, null, 'demo', 'billing-api', '', '-lead', 'a.b', 'x'.repeat(65), 'ünï', 3],
  node: [undefined, null, 'web-1', '', ' ', 'x'.repeat(LIMITS.nodeLength + 1), '😀'.repeat(255), {}],
  type: [undefined, 'DiskFull', '', 'x'.repeat(LIMITS.typeLength + 1), ['DiskFull']],
  summary: [undefined, 'full', '', 'x'.repeat(LIMITS.summaryLength), 'x'.repeat(LIMITS.summaryLength + 1)],
  severity: [
    undefined,
    null,
    ...Object.keys(SEVERITY_ALIASES),
    'MAJOR',
    ' ok ',
    'bogus',
    0,
    5,
    6,
    -1,
    2.5,
    '3',
    '9',
    true,
  ],
  occurredAt: [
    undefined,
    null,
    '2026-01-01T10:00:00Z',
    '2026-01-01t10:00:00z',
    '2026-01-01 10:00:00+01:00',
    '2026-06-30T23:59:60Z',
    '2026-02-30T00:00:00Z',
    '2026-01-01T10:00:00',
    '2026-01-01',
    'yesterday',
    1767261600000,
  ],
  category: [undefined, null, ...CATEGORIES, 'weather', 'OS', 1],
  service: [undefined, null, 'checkout', '', 'x'.repeat(LIMITS.contextLength + 1), 1],
  environment: [undefined, null, 'prod', ''],
  labels: [
    undefined,
    null,
    {},
    { env: 'prod' },
    { 'app.kubernetes.io/name': 'x' },
    { env: 1 },
    { '': 'x' },
    { '9x': 'x' },
    { k: 'v'.repeat(LIMITS.labelValueLength + 1) },
    Object.fromEntries(Array.from({ length: LIMITS.labelCount + 1 }, (_, i) => [`k${i}`, 'v'])),
    ['env'],
    'env=prod',
  ],
  attributes: [undefined, null, {}, { a: [1, { b: null }] }, [], 'x', 3],
  fingerprint: [undefined, null, 'fp', '', 'x'.repeat(LIMITS.fingerprintLength + 1)],
  unknown: [undefined, 'surprise'],
};

function sample(random: () => number): Record<string, unknown> {
  const event: Record<string, unknown> = { ...base };
  // Mutate a few fields per sample so most samples are near-valid, where disagreements hide.
  const fields = Object.keys(pools);
  const mutations = 1 + Math.floor(random() * 3);
  for (let i = 0; i < mutations; i++) {
    const field = fields[Math.floor(random() * fields.length)];
    const value = pools[field][Math.floor(random() * pools[field].length)];
    if (value === undefined) delete event[field];
    else event[field] = value;
  }
  return event;
}

describe('PRODUCER_EVENT_V1_SCHEMA', () => {
  it('is a valid JSON Schema 2020-12 document', () => {
    expect(ajv.validateSchema(PRODUCER_EVENT_V1_SCHEMA)).toBe(true);
  });

  it('describes exactly the properties the class declares, and the same required ones', () => {
    const declared = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(ProducerEventV1, '', true, false)
        .map((m) => m.propertyName),
    );
    expect(new Set(Object.keys(PRODUCER_EVENT_V1_SCHEMA.properties))).toEqual(declared);
    const required = [...declared].filter((field) => !classAccepts({ ...base, [field]: undefined }));
    expect(new Set(PRODUCER_EVENT_V1_SCHEMA.required)).toEqual(new Set(required));
  });

  it('agrees with the class on every value of every field', () => {
    for (const [field, values] of Object.entries(pools)) {
      for (const value of values) {
        const event: Record<string, unknown> = { ...base, [field]: value };
        if (value === undefined) delete event[field];
        expect({ event, schema: schemaAccepts(event) }).toEqual({
          event,
          schema: classAccepts(event),
        });
      }
    }
  });

  it('agrees with the class on 3,000 generated events', () => {
    const random = rng(20261121);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const event = sample(random);
      const verdict = classAccepts(event);
      if (verdict) accepted++;
      expect({ event, schema: schemaAccepts(event) }).toEqual({ event, schema: verdict });
    }
    // The generator must exercise both sides, or agreement would mean nothing.
    expect(accepted).toBeGreaterThan(300);
    expect(accepted).toBeLessThan(2700);
  });

  it('is committed as libs/contracts/schema/producer-event.v1.json, unchanged', () => {
    const committed: unknown = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'schema', 'producer-event.v1.json'), 'utf8'),
    );
    expect(committed).toEqual(JSON.parse(JSON.stringify(PRODUCER_EVENT_V1_SCHEMA)));
  });
});

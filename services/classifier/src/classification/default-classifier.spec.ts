import { AcceptedEventV1, ClassifiedEventV1, SchemaIds, validatePlain } from '@vigil/contracts';
import { classifyByDefault } from './default-classifier';

const accepted: AcceptedEventV1 = {
  schema: SchemaIds.AcceptedEventV1,
  id: '7f1d2c3b-4a5e-5f60-8a7b-9c0d1e2f3a4b',
  source: 'demo',
  node: 'web-1',
  type: 'DiskFull',
  summary: 'disk full',
  severity: 'major',
  occurredAt: '2026-05-01T12:00:00.000Z',
  receivedAt: '2026-05-01T12:00:00.100Z',
  labels: { env: 'prod' },
  attributes: {},
  fingerprint: 'fp-1',
  origin: { via: 'nats', from: 'events.raw.demo' },
};
const now = new Date('2026-05-01T12:00:00.200Z');

describe('classifyByDefault', () => {
  it('uses operational when the producer gave no category', () => {
    expect(classifyByDefault(accepted, now)).toMatchObject({
      schema: SchemaIds.ClassifiedEventV1,
      category: 'operational',
      classifiedAt: now.toISOString(),
      classification: { ruleSet: 'default', matchedRules: [] },
    });
  });

  it("keeps the producer's category and every other field", () => {
    const classified = classifyByDefault({ ...accepted, category: 'security' }, now);
    expect(classified.category).toBe('security');
    const { schema: _a, ...acceptedFields } = accepted;
    expect(classified).toMatchObject(acceptedFields);
  });

  it('produces a valid classified event', () => {
    const result = validatePlain(
      ClassifiedEventV1,
      JSON.parse(JSON.stringify(classifyByDefault(accepted, now))),
    );
    expect(result.ok).toBe(true);
  });
});

import { AcceptedEventV1, ClassifiedEventV1, SchemaIds, validatePlain } from '@vigil/contracts';
import { compileText, emptyRuleSet, EMPTY_RULE_SET_NAME, parseStoredTable } from './compile';

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
const context = { now, tables: new Map() };

describe('the empty rule set (no version saved)', () => {
  it('uses operational when the producer gave no category, and priority from severity × medium', () => {
    const result = emptyRuleSet().classify(accepted, context);
    expect(result.discarded).toBe(false);
    expect(result.event).toMatchObject({
      schema: SchemaIds.ClassifiedEventV1,
      category: 'operational',
      priority: 'P3',
      impact: 'medium',
      classifiedAt: now.toISOString(),
      classification: { ruleSet: EMPTY_RULE_SET_NAME, ruleSetVersion: '0', matchedRules: [] },
    });
  });

  it("keeps the producer's category and every other field", () => {
    const { event } = emptyRuleSet().classify({ ...accepted, category: 'security' }, context);
    expect(event.category).toBe('security');
    const { schema: _a, ...acceptedFields } = accepted;
    expect(event).toMatchObject(acceptedFields);
  });

  it('produces a valid classified event', () => {
    const { event } = emptyRuleSet().classify(accepted, context);
    expect(validatePlain(ClassifiedEventV1, JSON.parse(JSON.stringify(event))).ok).toBe(true);
  });
});

describe('compileText', () => {
  it('returns every error with its line and column, and never throws', () => {
    const result = compileText(
      'globals:\n  rules:\n    - name: a\n      match: {summary: "/(unclosed/"}\n      category: os\n',
      'yaml',
      {
        name: 'vigil',
        version: '1',
      },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ line: 4, column: 24, path: 'globals.rules[0].match.summary' });
  });

  it('compiles a valid set under the given name and version', () => {
    const result = compileText(
      'globals:\n  rules:\n    - name: disk\n      match: {summary: disk}\n      category: os\n',
      'yaml',
      {
        name: 'vigil',
        version: '7',
      },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { event, matchedRules } = result.ruleSet.classify(accepted, context);
    expect(event.category).toBe('os');
    expect(event.classification).toEqual({ ruleSet: 'vigil', ruleSetVersion: '7', matchedRules });
  });
});

describe('parseStoredTable', () => {
  it('reads a stored CSV table by its key column', () => {
    const parsed = parseStoredTable({
      name: 'owners',
      content: 'node,team\nweb-1,web\n',
      format: 'csv',
      keyColumn: 'node',
    });
    expect(parsed.ok && parsed.table.rows.get('web-1')).toMatchObject({ team: 'web' });
  });
});

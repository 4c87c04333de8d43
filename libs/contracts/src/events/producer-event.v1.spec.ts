import { LIMITS } from '../limits';
import { validateProducerEvent } from './producer-event.v1';

const valid = {
  source: 'billing-api',
  node: 'web-1',
  type: 'PurchaseFailed',
  summary: 'Card declined for order 42',
  severity: 'major',
};

function errorsFor(event: unknown) {
  const result = validateProducerEvent(event);
  return result.ok ? [] : result.errors;
}

describe('validateProducerEvent', () => {
  it('accepts the five required fields alone', () => {
    expect(validateProducerEvent(valid).ok).toBe(true);
  });

  it('accepts every optional field, and null for absent ones', () => {
    const full = {
      ...valid,
      id: 'evt-0001',
      occurredAt: '2026-03-01T10:15:00.123+01:00',
      category: 'business',
      service: 'checkout',
      environment: 'production',
      labels: { region: 'eu-west-1', 'app.kubernetes.io/name': 'billing' },
      attributes: { orderId: 42, nested: { ok: true } },
      fingerprint: 'order-42',
    };
    expect(validateProducerEvent(full).ok).toBe(true);
    expect(validateProducerEvent({ ...valid, id: null, labels: null, service: null }).ok).toBe(true);
  });

  it.each([
    ['source', { ...valid, source: undefined }, /^is required$/],
    ['severity', { ...valid, severity: null }, /^is required$/],
    ['source', { ...valid, source: 'has.dot' }, /letters, digits/],
    ['node', { ...valid, node: '' }, /should not be empty/],
    ['type', { ...valid, type: 42 }, /must be a string/],
    ['summary', { ...valid, summary: 'x'.repeat(LIMITS.summaryLength + 1) }, /shorter than or equal to 1024/],
    ['severity', { ...valid, severity: 'bogus' }, /must be one of critical, major, .* \(got "bogus"\)/],
    ['severity', { ...valid, severity: 7 }, /\(got 7\)/],
    ['occurredAt', { ...valid, occurredAt: '2026-02-30T00:00:00Z' }, /RFC 3339/],
    ['occurredAt', { ...valid, occurredAt: '2026-01-01T10:00:00' }, /time zone/],
    ['category', { ...valid, category: 'weather' }, /must be one of business, os/],
    ['labels', { ...valid, labels: { env: 1 } }, /value of "env" must be a string/],
    ['labels', { ...valid, labels: { '1bad': 'x' } }, /key "1bad" must match/],
    ['labels', { ...valid, labels: ['a'] }, /must be an object/],
    ['attributes', { ...valid, attributes: 'text' }, /must be a JSON object/],
    ['id', { ...valid, id: 'has space' }, /printable ASCII/],
    ['sevrity', { ...valid, sevrity: 'major' }, /should not exist/],
  ])('names %s and says why', (field, event, reason) => {
    const errors = errorsFor(event);
    expect(errors.map((e) => e.field)).toContain(field);
    expect(errors.find((e) => e.field === field)?.reason).toMatch(reason);
  });

  it('refuses too many labels', () => {
    const labels = Object.fromEntries(
      Array.from({ length: LIMITS.labelCount + 1 }, (_, i) => [`k${i}`, 'v']),
    );
    expect(errorsFor({ ...valid, labels })[0]).toEqual({
      field: 'labels',
      reason: `must have at most ${LIMITS.labelCount} labels (got ${LIMITS.labelCount + 1})`,
    });
  });

  it.each([null, [], 'text', 42])('refuses a body that is not an object (%p)', (body) => {
    const errors = errorsFor(body);
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('$');
    expect(errors[0].reason).toMatch(/must be a JSON object/);
  });

  it('reports every bad field at once', () => {
    const fields = errorsFor({ severity: 'nope' }).map((e) => e.field);
    expect(new Set(fields)).toEqual(new Set(['source', 'node', 'type', 'summary', 'severity']));
  });
});

import { ProducerEventV1, validatePlain, AcceptedEventV1 } from '@vigil/contracts';
import { eventId } from './event-id';
import { defaultFingerprint } from './fingerprint';
import { toAcceptedEvent } from './normalise';

const receivedAt = new Date('2026-05-01T12:00:00.000Z');

function accept(body: Record<string, unknown>, extra: Partial<Parameters<typeof toAcceptedEvent>[1]> = {}) {
  const parsed = validatePlain(ProducerEventV1, body);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return toAcceptedEvent(parsed.value, { origin: { via: 'http' }, receivedAt, ...extra });
}

const body = { source: 'demo', node: ' web-1 ', type: 'DiskFull', summary: ' disk full ', severity: 'ERR' };

describe('toAcceptedEvent', () => {
  it('normalises severity, trims text and fills the defaults', () => {
    const event = accept(body);
    expect(event).toMatchObject({
      schema: 'vigil.event.accepted/v1',
      source: 'demo',
      node: 'web-1',
      summary: 'disk full',
      severity: 'major',
      occurredAt: receivedAt.toISOString(),
      receivedAt: receivedAt.toISOString(),
      labels: {},
      attributes: {},
      fingerprint: defaultFingerprint('demo', 'web-1', 'DiskFull', {}),
      origin: { via: 'http' },
    });
    expect(event).not.toHaveProperty('producerId');
    expect(event).not.toHaveProperty('category');
  });

  it('produces an event that satisfies the accepted-event contract', () => {
    const event = accept({ ...body, labels: { env: 'prod' }, category: 'os', service: 'api', id: 'x-1' });
    const check = validatePlain(AcceptedEventV1, JSON.parse(JSON.stringify(event)));
    expect(check).toMatchObject({ ok: true });
  });

  it("derives the id from the producer's id, or the fallback id from outside the body", () => {
    expect(accept({ ...body, id: 'e-1' })).toMatchObject({ id: eventId('demo', 'e-1'), producerId: 'e-1' });
    expect(accept(body, { producerIdFallback: 'hdr-1' })).toMatchObject({
      id: eventId('demo', 'hdr-1'),
      producerId: 'hdr-1',
    });
    expect(accept(body, { deliveryKey: 'EVENTS_RAW:7' }).id).toBe(eventId('demo', undefined, 'EVENTS_RAW:7'));
  });

  it('keeps an explicit fingerprint and a producer category', () => {
    expect(accept({ ...body, fingerprint: ' am-123 ', category: 'network' })).toMatchObject({
      fingerprint: 'am-123',
      category: 'network',
    });
  });

  it('stores occurrence times in UTC, including a leap second', () => {
    expect(accept({ ...body, occurredAt: '2026-05-01T14:00:00+02:00' }).occurredAt).toBe(
      '2026-05-01T12:00:00.000Z',
    );
    expect(accept({ ...body, occurredAt: '2026-06-30T23:59:60Z' }).occurredAt).toBe(
      '2026-06-30T23:59:59.999Z',
    );
  });
});

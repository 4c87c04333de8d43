import { eventId } from './event-id';

describe('eventId', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('is the same for a re-send of the same producer id', () => {
    expect(eventId('billing', 'evt-1')).toBe(eventId('billing', 'evt-1'));
    expect(eventId('billing', 'evt-1')).toMatch(UUID);
  });

  it('keeps equal ids of different producers apart', () => {
    expect(eventId('billing', 'evt-1')).not.toBe(eventId('shipping', 'evt-1'));
  });

  it('is stable across redeliveries when only a delivery key exists', () => {
    expect(eventId('s', undefined, 'EVENTS_RAW:42')).toBe(eventId('s', undefined, 'EVENTS_RAW:42'));
    expect(eventId('s', undefined, 'EVENTS_RAW:42')).not.toBe(eventId('s', undefined, 'EVENTS_RAW:43'));
  });

  it('is fresh each time with neither', () => {
    expect(eventId('s', undefined)).not.toBe(eventId('s', undefined));
  });
});

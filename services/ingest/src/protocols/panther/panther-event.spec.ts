import { FieldError, normalizeSeverity, validateProducerEvent } from '@vigil/contracts';
import { interpolateIdentifier, mapPantherEvent, PantherEvent, pantherErrorBody } from './panther-event';

/** An event as Panther's HTTP monitor takes it (`POST /api/event/create`). */
const body = (event: Record<string, unknown> = {}) => ({
  event: {
    node: 'web-1',
    summary: 'nginx: upstream timed out',
    severity: 4,
    tag: 'nginx',
    alert_key: 'upstream_timeout',
    owner: 'ops',
    location: 'dc-1',
    external_id: 'INC-42',
    ...event,
  },
});

function mapped(value: unknown): PantherEvent {
  const result = mapPantherEvent(value, 'panther');
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

function refused(value: unknown): FieldError[] {
  const result = mapPantherEvent(value, 'panther');
  if (result.ok) throw new Error('expected a refusal');
  return result.errors;
}

describe('mapPantherEvent', () => {
  it('maps a valid event; its other fields become labels', () => {
    const { event } = mapped(body());
    expect(event).toEqual({
      source: 'panther',
      node: 'web-1',
      type: 'nginx',
      summary: 'nginx: upstream timed out',
      severity: 4,
      labels: {
        tag: 'nginx',
        alert_key: 'upstream_timeout',
        owner: 'ops',
        location: 'dc-1',
        external_id: 'INC-42',
      },
      attributes: {},
    });
    expect(normalizeSeverity(event.severity)).toBe('major');
    expect(validateProducerEvent(event).ok).toBe(true);
  });

  it('defaults the severity to 1, indeterminate, and the type to alert_group, tag, then PantherEvent', () => {
    const { severity: _s, tag: _t, ...bare } = body().event;
    const { event } = mapped({ event: bare });
    expect(event).toMatchObject({ severity: 1, type: 'PantherEvent' });
    expect(mapped(body({ alert_group: 'Web' })).event.type).toBe('Web');
  });

  it('maps severity 0 to cleared, which resolves the alert', () => {
    expect(normalizeSeverity(mapped(body({ severity: 0 })).event.severity)).toBe('cleared');
  });

  it('uses an identifier, with its {field} placeholders filled in, as the fingerprint', () => {
    expect(mapped(body({ identifier: 'nginx-web-1' })).event.fingerprint).toBe('panther:nginx-web-1');
    expect(mapped(body({ identifier: '{node}:{summary}' })).event.fingerprint).toBe(
      'panther:web-1:nginx: upstream timed out',
    );
    expect(mapped(body()).event.fingerprint).toBeUndefined();
  });

  it('sanitises label keys and keeps values that cannot be labels in the attributes', () => {
    const long = 'x'.repeat(2000);
    const { event } = mapped(body({ 'ticket id': 'T-1', blob: long }));
    expect(event.labels).toMatchObject({ ticket_id: 'T-1' });
    expect(event.attributes).toEqual({ droppedLabels: { blob: long } });
  });

  it('refuses a forbidden field', () => {
    expect(refused(body({ tally: '3', _id: 'x' }))).toEqual([
      { field: 'event.tally', reason: 'is set by the server and may not be sent' },
      { field: 'event._id', reason: 'is set by the server and may not be sent' },
    ]);
  });

  it('refuses a field that is not a string', () => {
    expect(refused(body({ owner: 7, location: { room: 1 } }))).toEqual([
      { field: 'event.owner', reason: 'must be a string (got 7)' },
      { field: 'event.location', reason: 'must be a string (got {"room":1})' },
    ]);
  });

  it('refuses a severity out of range or not an integer', () => {
    for (const severity of [6, -1, 2.5, '3']) {
      expect(refused(body({ severity }))).toEqual([
        {
          field: 'event.severity',
          reason: `must be an integer from 0 (clear) to 5 (critical) (got ${JSON.stringify(severity)})`,
        },
      ]);
    }
  });

  it('refuses a missing or empty node or summary, and a body without an event', () => {
    expect(refused(body({ node: '', summary: undefined })).map((e) => e.field)).toEqual([
      'event.node',
      'event.summary',
    ]);
    expect(refused({ node: 'web-1' })).toEqual([
      { field: 'event', reason: 'is required: the body is {"event": {...}} (got undefined)' },
    ]);
  });

  it("names a violation of Vigil's own limits by the Panther field", () => {
    expect(refused(body({ summary: 's'.repeat(1025) }))).toEqual([
      { field: 'event.summary', reason: 'must be shorter than or equal to 1024 characters' },
    ]);
  });
});

describe('interpolateIdentifier', () => {
  it('fills in known fields and keeps unknown placeholders as written', () => {
    expect(interpolateIdentifier('{node}:{severity}:{nope}', { node: 'n', severity: 3 })).toBe('n:3:{nope}');
  });
});

describe('pantherErrorBody', () => {
  it("is Panther's 400 body, with the field errors alongside", () => {
    expect(pantherErrorBody([{ field: 'event.node', reason: 'is required' }])).toEqual({
      error: { message: 'invalid event: event.node: is required' },
      errors: [{ field: 'event.node', reason: 'is required' }],
    });
  });
});

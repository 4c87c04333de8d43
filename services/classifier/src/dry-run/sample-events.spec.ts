import { SchemaIds, UUID_PATTERN } from '@vigil/contracts';
import { classifiedEvent } from '@vigil/testing';
import { completeSampleEvent, completeSampleEvents } from './sample-events';

const now = new Date('2026-05-01T12:00:00.000Z');

describe('completeSampleEvent', () => {
  it("fills what ingest would have added to a producer's event", () => {
    const result = completeSampleEvent(
      { source: 'demo', node: 'web-1', type: 'DiskFull', summary: 'disk 95%', severity: 'err' },
      now,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({
      schema: SchemaIds.AcceptedEventV1,
      severity: 'major',
      occurredAt: now.toISOString(),
      receivedAt: now.toISOString(),
      labels: {},
      attributes: {},
      fingerprint: 'demo:web-1:DiskFull',
      origin: { via: 'http', from: 'dry-run' },
    });
    expect(result.value.id).toMatch(UUID_PATTERN);
  });

  it("keeps a producer's own id as producerId and numeric severities on Panther's scale", () => {
    const result = completeSampleEvent(
      { id: 'evt-42', source: 'demo', node: 'n', type: 't', summary: 's', severity: 5 },
      now,
    );
    expect(result.ok && result.value).toMatchObject({ producerId: 'evt-42', severity: 'critical' });
  });

  it('takes a classified event back to what the classifier received', () => {
    const classified = classifiedEvent({ team: 'dba', category: 'os' });
    const result = completeSampleEvent(classified, now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.schema).toBe(SchemaIds.AcceptedEventV1);
    expect(result.value.id).toBe(classified.id);
    expect(result.value).not.toHaveProperty('team');
    expect(result.value).not.toHaveProperty('category');
  });

  it('names missing, bad and unknown fields', () => {
    const result = completeSampleEvent(
      { node: 'n', type: 't', summary: 's', severity: 'loud', colour: 'red' },
      now,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = result.errors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['source', 'severity', 'colour']));
  });
});

describe('completeSampleEvents', () => {
  it("prefixes each problem with the event's place in the list", () => {
    const result = completeSampleEvents(
      [{ source: 'a', node: 'n', type: 't', summary: 's', severity: 'minor' }, { source: 'a' }, 'text'],
      now,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const fields = result.errors.map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['events[1].node', 'events[1].severity', 'events[2]']));
    expect(fields.some((field) => field.startsWith('events[0]'))).toBe(false);
  });
});

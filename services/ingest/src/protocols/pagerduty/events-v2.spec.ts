import { FieldError, validateProducerEvent } from '@vigil/contracts';
import { invalidEventBody, mapPagerDutyEvent, PagerDutyEvent, rfc3339Timestamp } from './events-v2';

/** The trigger example of PagerDuty's developer docs (events-API-v2/02-Trigger-Events.md). */
const trigger = () => ({
  payload: {
    summary: 'Example alert on host1.example.com',
    timestamp: '2015-07-17T08:42:58.315+0000',
    source: 'monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003',
    severity: 'info',
    component: 'postgres',
    group: 'prod-datapipe',
    class: 'deploy',
    custom_details: { 'ping time': '1500ms', 'load avg': 0.75 },
  },
  routing_key: 'samplekeyhere',
  dedup_key: 'samplekeyhere',
  images: [
    {
      src: 'https://www.pagerduty.com/wp-content/uploads/2016/05/pagerduty-logo-green.png',
      href: 'https://example.com/',
      alt: 'Example text',
    },
  ],
  links: [{ href: 'https://example.com/', text: 'Link text' }],
  event_action: 'trigger',
  client: 'Sample Monitoring Service',
  client_url: 'https://monitoring.example.com',
});
const acknowledge = { routing_key: 'routingkeyhere', dedup_key: 'dedupkeyhere', event_action: 'acknowledge' };
const resolve = { routing_key: 'routingkeyhere', dedup_key: 'dedupkeyhere', event_action: 'resolve' };

const context = { source: 'pagerduty', newDedupKey: () => 'generated-key' };

function mapped(body: unknown): PagerDutyEvent {
  const result = mapPagerDutyEvent(body, context);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

function refused(body: unknown): FieldError[] {
  const result = mapPagerDutyEvent(body, context);
  if (result.ok) throw new Error('expected a refusal');
  return result.errors;
}

function eventOf(body: unknown) {
  const value = mapped(body);
  if (value.action === 'acknowledge') throw new Error('expected an event');
  return value.event;
}

describe('mapPagerDutyEvent', () => {
  it('maps the documented trigger, every payload field in its place', () => {
    const event = eventOf(trigger());
    expect(event).toEqual({
      id: expect.stringMatching(/^pd:[0-9a-f]{64}$/),
      source: 'pagerduty',
      node: 'monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003',
      type: 'deploy',
      summary: 'Example alert on host1.example.com',
      severity: 'info',
      occurredAt: '2015-07-17T08:42:58.315+00:00',
      labels: { event_action: 'trigger', group: 'prod-datapipe', component: 'postgres' },
      attributes: {
        pagerduty: {
          action: 'trigger',
          dedup_key: 'samplekeyhere',
          client: 'Sample Monitoring Service',
          client_url: 'https://monitoring.example.com',
          custom_details: { 'ping time': '1500ms', 'load avg': 0.75 },
          images: trigger().images,
          links: trigger().links,
        },
      },
      fingerprint: 'pd:samplekeyhere',
    });
    expect(validateProducerEvent(event).ok).toBe(true);
  });

  it('takes the type from component, then a default, when there is no class', () => {
    const { class: _class, ...payload } = trigger().payload;
    expect(eventOf({ ...trigger(), payload }).type).toBe('postgres');
    const { component: _component, ...bare } = payload;
    expect(eventOf({ ...trigger(), payload: bare }).type).toBe('pagerduty');
  });

  it('generates a dedup_key for a trigger without one, as PagerDuty does', () => {
    const { dedup_key: _none, ...body } = trigger();
    expect(mapped(body)).toMatchObject({ dedupKey: 'generated-key' });
    expect(eventOf(body).fingerprint).toBe('pd:generated-key');
  });

  it('maps the documented resolve to cleared on the same fingerprint, with its own id', () => {
    const event = eventOf(resolve);
    expect(event).toMatchObject({
      severity: 'cleared',
      fingerprint: 'pd:dedupkeyhere',
      node: 'dedupkeyhere',
      type: 'pagerduty',
      labels: { event_action: 'resolve' },
    });
    expect(validateProducerEvent(event).ok).toBe(true);
    const triggered = eventOf({ ...trigger(), dedup_key: 'dedupkeyhere' });
    expect(event.fingerprint).toBe(triggered.fingerprint);
    expect(event.id).not.toBe(triggered.id);
  });

  it("uses what is usable of a resolve's payload and never refuses a resolve over it", () => {
    const event = eventOf({
      ...resolve,
      payload: { source: 'db-1', summary: 'fixed', severity: 'bogus', timestamp: 'x' },
    });
    expect(event).toMatchObject({ node: 'db-1', summary: 'fixed', severity: 'cleared' });
    expect(event.occurredAt).toBeUndefined();
  });

  it('maps the documented acknowledge to the fingerprint and command id of an acknowledge command', () => {
    expect(mapped(acknowledge)).toEqual({
      action: 'acknowledge',
      dedupKey: 'dedupkeyhere',
      fingerprint: 'pd:dedupkeyhere',
      commandId: expect.stringMatching(/^pd:[0-9a-f]{64}$/),
    });
    // A re-sent acknowledge is the same command; another alert's is not.
    expect(mapped(acknowledge)).toEqual(mapped(acknowledge));
    expect(mapped({ ...acknowledge, dedup_key: 'other' })).not.toMatchObject({
      commandId: (mapped(acknowledge) as { commandId: string }).commandId,
    });
  });

  it('gives an identical re-send the same id, and a changed payload a new one', () => {
    expect(eventOf(trigger()).id).toBe(eventOf(trigger()).id);
    const later = { ...trigger(), payload: { ...trigger().payload, timestamp: '2015-07-17T09:00:00Z' } };
    expect(eventOf(later).id).not.toBe(eventOf(trigger()).id);
  });

  it('refuses a trigger without a payload', () => {
    const { payload: _none, ...body } = trigger();
    expect(refused(body)).toEqual([
      { field: 'payload', reason: 'is required to trigger, as an object (got undefined)' },
    ]);
  });

  it("refuses a severity PagerDuty does not know, even one of Vigil's aliases", () => {
    const errors = refused({ ...trigger(), payload: { ...trigger().payload, severity: 'high' } });
    expect(errors).toEqual([
      { field: 'payload.severity', reason: 'must be one of critical, error, warning, info (got "high")' },
    ]);
  });

  it('refuses an unknown event_action', () => {
    expect(refused({ ...trigger(), event_action: 'escalate' })).toEqual([
      { field: 'event_action', reason: 'must be one of trigger, acknowledge, resolve (got "escalate")' },
    ]);
  });

  it('refuses a resolve or acknowledge without a dedup_key', () => {
    const { dedup_key: _a, ...resolveWithout } = resolve;
    const { dedup_key: _b, ...acknowledgeWithout } = acknowledge;
    expect(refused(resolveWithout).map((e) => e.field)).toEqual(['dedup_key']);
    expect(refused(resolveWithout)[0].reason).toMatch(/is required to resolve/);
    expect(refused(acknowledgeWithout)[0].reason).toMatch(/is required to acknowledge/);
  });

  it('refuses a missing routing_key, missing PD-CEF fields and mistyped ones, all at once', () => {
    const errors = refused({
      event_action: 'trigger',
      dedup_key: 'k'.repeat(256),
      images: 'nope',
      payload: { severity: 'critical', timestamp: 'yesterday', group: 3 },
    });
    expect(errors.map((e) => e.field)).toEqual([
      'routing_key',
      'dedup_key',
      'images',
      'payload.summary',
      'payload.source',
      'payload.timestamp',
      'payload.group',
    ]);
  });

  it("names a violation of Vigil's own limits by the PagerDuty field", () => {
    const errors = refused({ ...trigger(), payload: { ...trigger().payload, summary: 's'.repeat(1025) } });
    expect(errors).toEqual([
      { field: 'payload.summary', reason: 'must be shorter than or equal to 1024 characters' },
    ]);
  });

  it('refuses a body that is not an object', () => {
    expect(refused('trigger')).toEqual([{ field: '$', reason: 'must be a JSON object (got "trigger")' }]);
  });
});

describe('invalidEventBody', () => {
  it("is PagerDuty's 400 body, with the field errors alongside", () => {
    expect(invalidEventBody([{ field: 'payload', reason: 'is required' }])).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ['payload is required'],
      fieldErrors: [{ field: 'payload', reason: 'is required' }],
    });
  });
});

describe('rfc3339Timestamp', () => {
  it("accepts PagerDuty's ISO 8601 spellings and gives RFC 3339", () => {
    expect(rfc3339Timestamp('2015-07-17T08:42:58.315+0000')).toBe('2015-07-17T08:42:58.315+00:00');
    expect(rfc3339Timestamp('2015-07-17T08:42:58Z')).toBe('2015-07-17T08:42:58Z');
    expect(rfc3339Timestamp('2015-07-17 08:42+02')).toBe('2015-07-17T08:42:00+02:00');
    expect(rfc3339Timestamp('2015-07-17T08:42:58-05:30')).toBe('2015-07-17T08:42:58-05:30');
  });

  it('refuses timestamps without a zone or that name no instant', () => {
    expect(rfc3339Timestamp('2015-07-17T08:42:58')).toBeUndefined();
    expect(rfc3339Timestamp('2015-13-17T08:42:58Z')).toBeUndefined();
    expect(rfc3339Timestamp('yesterday')).toBeUndefined();
  });
});

import { SEVERITIES } from '@vigil/contracts';
import { HttpSink } from '@vigil/testing';
import { ChannelConfigError } from './channel-adapter';
import { ChannelHttpClient } from './http-delivery';
import {
  PAGERDUTY_EVENTS_URL,
  PagerDutyChannel,
  PagerDutyChannelConfig,
  PagerDutyEvent,
  pagerDutyEvent,
} from './pagerduty.channel';
import { triggeredAlert } from './test/fixtures';

const routingKey = 'R0123456789abcdefABCDEF012345678';

describe('pagerduty channel (against a real HTTP receiver)', () => {
  let sink: HttpSink;
  let http: ChannelHttpClient;
  let channel: PagerDutyChannel;
  let config: PagerDutyChannelConfig;

  beforeAll(async () => {
    sink = await new HttpSink().start();
    http = new ChannelHttpClient();
    channel = new PagerDutyChannel(http);
  });
  afterAll(async () => {
    await http.close();
    await sink.stop();
  });
  beforeEach(() => {
    sink.requests.length = 0;
    // What events.pagerduty.com answers.
    sink.answerWith({
      status: 202,
      headers: { 'content-type': 'application/json' },
      body: '{"status":"success","message":"Event processed","dedup_key":"vigil:alert:0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11"}',
    });
    config = channel.parseConfig({ routingKey, url: `${sink.url}/v2/enqueue` });
  });

  it('triggers with the dedup key of the alert, mapped severity, summary, details and links', async () => {
    await expect(channel.send(config, triggeredAlert())).resolves.toEqual({
      ok: true,
      status: 202,
      messageId: 'vigil:alert:0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
    });
    const [received] = sink.requests;
    expect(received.path).toBe('/v2/enqueue');
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.json()).toEqual({
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: 'vigil:alert:0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
      payload: {
        summary: '/var 97% full',
        source: 'web-1',
        severity: 'critical',
        timestamp: '2026-05-01T12:00:00.000Z',
        component: 'checkout',
        group: 'prod',
        class: 'DiskFull',
        custom_details: {
          vigil_kind: 'triggered',
          alert_id: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
          status: 'open',
          severity: 'critical',
          priority: 'P1',
          node: 'web-1',
          summary: 'Filesystem /var on web-1 is 97% full (threshold 95%).',
          labels: { team: 'payments', mount: '/var' },
          counts: { occurrences: 3 },
        },
      },
      links: [
        {
          href: 'https://vigil.example.org/alerts/0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
          text: 'Open alert in Vigil',
        },
        { href: 'https://vigil.example.org/api/v1/actions/v1.ack-token.sig', text: 'Acknowledge in Vigil' },
        { href: 'https://vigil.example.org/api/v1/actions/v1.resolve-token.sig', text: 'Resolve in Vigil' },
      ],
      client: 'Vigil',
      client_url: 'https://vigil.example.org/alerts/0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
    });
  });

  it('acknowledges and resolves the same PagerDuty alert with the key alone', async () => {
    await channel.send(config, triggeredAlert({ kind: 'acknowledged' }));
    await channel.send(config, triggeredAlert({ kind: 'resolved' }));
    const incident = triggeredAlert({ kind: 'resolved' });
    incident.subject = { ...incident.subject, kind: 'incident', id: '5e0c9d1a-0000-4000-8000-000000000001' };
    await channel.send(config, incident);
    expect(sink.requests.map((r) => r.json())).toEqual([
      {
        routing_key: routingKey,
        event_action: 'acknowledge',
        dedup_key: 'vigil:alert:0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
      },
      {
        routing_key: routingKey,
        event_action: 'resolve',
        dedup_key: 'vigil:alert:0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
      },
      {
        routing_key: routingKey,
        event_action: 'resolve',
        dedup_key: 'vigil:incident:5e0c9d1a-0000-4000-8000-000000000001',
      },
    ]);
  });

  it("maps the six X.733 severities onto PagerDuty's four", () => {
    const mapped = SEVERITIES.map((severity) => {
      const notification = triggeredAlert();
      notification.subject = { ...notification.subject, severity };
      return [severity, pagerDutyEvent(config, notification).payload?.severity];
    });
    expect(Object.fromEntries(mapped)).toEqual({
      critical: 'critical',
      major: 'error',
      minor: 'warning',
      warning: 'warning',
      indeterminate: 'info',
      cleared: 'info',
    });
  });

  it('keeps a test notification off real alerts, and escalations on them', () => {
    expect(pagerDutyEvent(config, triggeredAlert({ kind: 'test', id: 'n-9' }))).toMatchObject({
      event_action: 'trigger',
      dedup_key: 'vigil:test:n-9',
      payload: { severity: 'info' },
    });
    expect(pagerDutyEvent(config, triggeredAlert({ kind: 'escalated' }))).toMatchObject({
      event_action: 'trigger',
      dedup_key: 'vigil:alert:0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
    });
    const bare = triggeredAlert();
    bare.subject = { ...bare.subject, node: undefined, service: undefined };
    expect(pagerDutyEvent(config, bare).payload?.source).toBe('vigil');
  });

  it('retries 429 and 5xx, never 400', async () => {
    sink.failNext(1, 400, {
      body: '{"status":"invalid event","message":"Event object is invalid","errors":["Length of \'routing_key\' is incorrect"]}',
    });
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      channel: 'pagerduty',
      retryable: false,
      status: 400,
      message: expect.stringContaining('Event object is invalid'),
    });
    sink.failNext(1, 429);
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      reason: 'rate_limited',
      retryable: true,
    });
    sink.failNext(1, 500);
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      retryable: true,
      status: 500,
    });
  });

  it('defaults to the PagerDuty endpoint and checks the routing key', () => {
    expect(channel.parseConfig({ routingKey }).url).toBe(PAGERDUTY_EVENTS_URL);
    expect(PAGERDUTY_EVENTS_URL).toBe('https://events.pagerduty.com/v2/enqueue');
    expect(() => channel.parseConfig({ routingKey: 'too-short' })).toThrow(ChannelConfigError);
    expect(() => channel.parseConfig({ routingKey: 'too-short' })).toThrow(
      'invalid pagerduty channel configuration: routingKey: must be a 32-character PagerDuty integration key',
    );
    expect(channel.describe(config)).toBe(`pagerduty ${sink.url}/v2/enqueue key …5678`);
    expect((pagerDutyEvent(config, triggeredAlert()) satisfies PagerDutyEvent).routing_key).toBe(routingKey);
  });
});

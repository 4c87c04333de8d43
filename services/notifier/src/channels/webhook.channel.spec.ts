import { AlertChangedV1, SchemaIds } from '@vigil/contracts';
import { HttpSink } from '@vigil/testing';
import { createHmac } from 'node:crypto';
import { ChannelConfigError, DeliveryError } from './channel-adapter';
import { ChannelHttpClient } from './http-delivery';
import { triggeredAlert } from './test/fixtures';
import { closedPort, silentServer } from './test/network';
import { alertSubject } from './notification';
import { WebhookChannel, WebhookChannelConfig } from './webhook.channel';
import { verifyWebhookSignature } from './webhook-signature';

const secret = 'whsec_0123456789abcdef0123456789abcdef';
const sentAt = new Date('2026-05-01T12:00:05.000Z');

describe('webhook channel (against a real HTTP receiver)', () => {
  let sink: HttpSink;
  let http: ChannelHttpClient;
  let channel: WebhookChannel;
  let config: WebhookChannelConfig;

  beforeAll(async () => {
    sink = await new HttpSink().start();
    http = new ChannelHttpClient();
    channel = new WebhookChannel(http, () => sentAt);
  });
  afterAll(async () => {
    await http.close();
    await sink.stop();
  });
  beforeEach(() => {
    sink.requests.length = 0;
    sink.failNext(0);
    config = channel.parseConfig({
      url: `${sink.url}/hooks/vigil?token=abc`,
      secret,
      headers: { 'X-Team': 'payments' },
    });
  });

  it('POSTs the notification as JSON with a signature the receiver can verify', async () => {
    const notification = triggeredAlert();
    await expect(channel.send(config, notification)).resolves.toEqual({ ok: true, status: 200 });

    expect(sink.requests).toHaveLength(1);
    const [received] = sink.requests;
    expect(received.method).toBe('POST');
    expect(received.path).toBe('/hooks/vigil?token=abc');
    expect(received.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'vigil-notifier/1',
      'idempotency-key': 'notif-7c1e2a90',
      'x-team': 'payments',
      'vigil-timestamp': '1777636805',
    });
    expect(received.json()).toEqual({
      version: 1,
      id: 'notif-7c1e2a90',
      kind: 'triggered',
      createdAt: '2026-05-01T12:00:05.000Z',
      subject: notification.subject,
      links: notification.links,
      recipient: { name: 'Ada', address: 'ada@example.org' },
      actor: null,
      escalation: null,
      message: {
        title: '[CRITICAL] /var 97% full',
        text: 'Filesystem /var on web-1 is 97% full (threshold 95%).',
      },
    });
    // What a receiver computes by hand from the documented scheme, then with our helper.
    const expected = createHmac('sha256', secret).update(`1777636805.${received.body}`).digest('hex');
    expect(received.headers['vigil-signature']).toBe(`v1=${expected}`);
    expect(
      verifyWebhookSignature({
        body: received.body,
        timestamp: received.headers['vigil-timestamp'],
        signature: received.headers['vigil-signature'],
        secret,
        now: sentAt,
      }),
    ).toEqual({ ok: true, timestamp: 1777636805 });
    expect(
      verifyWebhookSignature({
        body: received.body,
        timestamp: received.headers['vigil-timestamp'],
        signature: received.headers['vigil-signature'],
        secret: 'another-secret-0123456789abcdef',
        now: sentAt,
      }).ok,
    ).toBe(false);
  });

  it('signs with the previous secret too while rotating', async () => {
    const previousSecret = 'whsec_previous_previous_previous';
    await channel.send({ ...config, previousSecret }, triggeredAlert());
    const [received] = sink.requests;
    expect(String(received.headers['vigil-signature']).split(',')).toHaveLength(2);
    const verify = (key: string) =>
      verifyWebhookSignature({
        body: received.body,
        timestamp: received.headers['vigil-timestamp'],
        signature: received.headers['vigil-signature'],
        secret: key,
        now: sentAt,
      }).ok;
    expect(verify(previousSecret)).toBe(true);
    expect(verify(secret)).toBe(true);
  });

  it("sends a transition-feed notification as the feed's body, signed only when the target has a secret", async () => {
    const change: AlertChangedV1 = {
      schema: SchemaIds.AlertChangedV1,
      alertId: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
      sequence: 2,
      change: 'resolved',
      changedAt: '2026-05-01T12:00:00.000Z',
      causeReceivedAt: '2026-05-01T12:00:00.000Z',
      actor: 'carol',
      commandId: 'cmd-1',
      alert: {
        id: '0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11',
        fingerprint: 'fp',
        status: 'resolved',
        severity: 'major',
        tally: 4,
        firstOccurrence: '2026-05-01T10:00:00.000Z',
        lastOccurrence: '2026-05-01T11:59:00.000Z',
        summary: 'disk full',
        node: 'web-1',
        source: 'demo',
        type: 'DiskFull',
        category: 'os',
        labels: {},
      },
    };
    const notification = {
      id: 'alert:0d6b2b44-5f0f-4c3c-9a55-2a1e0b6f9c11:2:webhook:0123456789abcdef',
      kind: 'resolved' as const,
      createdAt: '2026-05-01T12:00:01.000Z',
      subject: alertSubject(change.alert),
      links: {},
      transition: change,
    };
    const feedBody = {
      version: 1,
      notificationId: notification.id,
      kind: 'alert.resolved',
      sentAt: sentAt.toISOString(),
      sequence: 2,
      alert: change.alert,
      cause: { eventId: null, actor: 'carol', commandId: 'cmd-1' },
    };

    await channel.send(config, notification);
    const [signed] = sink.requests;
    expect(signed.json()).toEqual(feedBody);
    expect(signed.headers['idempotency-key']).toBe(notification.id);
    const verified = verifyWebhookSignature({
      body: signed.body,
      timestamp: signed.headers['vigil-timestamp'],
      signature: signed.headers['vigil-signature'],
      secret,
      now: sentAt,
    });
    expect(verified.ok).toBe(true);

    const { secret: _unused, ...unsigned } = config;
    await channel.send(unsigned, notification);
    const [, plain] = sink.requests;
    expect(plain.json()).toEqual(feedBody);
    expect(plain.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': notification.id,
    });
    expect(plain.headers['vigil-signature']).toBeUndefined();
    expect(plain.headers['vigil-timestamp']).toBeUndefined();
  });

  it.each([
    [500, true],
    [503, true],
    [408, true],
    [400, false],
    [401, false],
    [404, false],
    [410, false],
    [301, false],
  ])('a %i answer is a DeliveryError, retryable: %s', async (status, retryable) => {
    sink.failNext(1, status);
    const error = await channel.send(config, triggeredAlert()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ channel: 'webhook', reason: 'rejected', status, retryable });
  });

  it('reads 429 as rate limited, with the Retry-After hint', async () => {
    sink.failNext(1, 429, { headers: { 'retry-after': '7' }, body: 'slow down' });
    await expect(channel.send(config, triggeredAlert())).rejects.toMatchObject({
      reason: 'rate_limited',
      retryable: true,
      retryAfterMs: 7000,
      status: 429,
      message: 'webhook: receiver answered 429: slow down',
    });
  });

  it('is retryable when nobody listens, and when the receiver does not answer in time', async () => {
    const port = await closedPort();
    await expect(
      channel.send({ ...config, url: `http://127.0.0.1:${port}/hook` }, triggeredAlert()),
    ).rejects.toMatchObject({
      reason: 'connection',
      retryable: true,
      message: expect.stringMatching(/ECONNREFUSED/),
    });

    const silent = await silentServer();
    try {
      await expect(
        channel.send(
          { ...config, url: `http://127.0.0.1:${silent.port}/hook`, timeoutMs: 200 },
          triggeredAlert(),
        ),
      ).rejects.toMatchObject({ reason: 'timeout', retryable: true });
    } finally {
      await silent.stop();
    }
  });

  it('is abandoned, retryably, when the caller aborts', async () => {
    const silent = await silentServer();
    try {
      const controller = new AbortController();
      const sending = channel.send(
        { ...config, url: `http://127.0.0.1:${silent.port}/hook` },
        triggeredAlert(),
        {
          signal: controller.signal,
        },
      );
      setTimeout(() => controller.abort(), 50);
      await expect(sending).rejects.toMatchObject({ reason: 'connection', retryable: true });
    } finally {
      await silent.stop();
    }
  });

  it('refuses bad configuration, naming each field', () => {
    const errors = (input: unknown) => {
      try {
        channel.parseConfig(input);
        return [];
      } catch (error) {
        return (error as ChannelConfigError).errors.map((e) => e.field);
      }
    };
    expect(errors({ url: 'ftp://example.org', secret: 'short', timeoutMs: 5 })).toEqual([
      'url',
      'secret',
      'timeoutMs',
    ]);
    expect(errors({ url: 'https://example.org', secret, headers: { 'Vigil-Signature': 'forged' } })).toEqual([
      'headers',
    ]);
    expect(errors({ url: 'https://example.org', secret, headers: { 'X-A': 'line\r\nInjected: 1' } })).toEqual(
      ['headers'],
    );
    expect(errors({ url: 'https://example.org', secret, sekret: 'typo' })).toEqual(['sekret']);
    expect(errors({ url: 'https://example.org', secret })).toEqual([]);
    expect(channel.describe(config)).toBe(`webhook ${sink.url}/hooks/vigil?…`);
  });
});

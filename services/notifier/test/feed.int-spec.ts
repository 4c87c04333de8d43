import { randomUUID } from 'node:crypto';
import { AlertChange, AlertChangedV1, SchemaIds, StreamNames, Subjects } from '@vigil/contracts';
import type { ReceivedRequest } from '@vigil/testing';
import { HttpSink, startTestService, TestNats, TestService, waitFor } from '@vigil/testing';
import { DataSource } from 'typeorm';
import type { TransitionFeedBodyV1 as WebhookNotificationV1 } from '../src/channels';
import { verifyWebhookSignature } from '../src/channels/webhook-signature';
import { FeedService } from '../src/feed';
import { notifierService } from '../src/service';

function change(alertId: string, sequence: number, kind: AlertChange): AlertChangedV1 {
  const now = new Date().toISOString();
  return {
    schema: SchemaIds.AlertChangedV1,
    alertId,
    sequence,
    change: kind,
    changedAt: now,
    causeEventId: randomUUID(),
    causeReceivedAt: now,
    alert: {
      id: alertId,
      fingerprint: `fp-${alertId}`,
      status: kind === 'resolved' ? 'resolved' : 'open',
      severity: 'major',
      tally: 1,
      firstOccurrence: now,
      lastOccurrence: now,
      summary: 'disk full',
      node: 'web-1',
      source: 'test',
      type: 'DiskFull',
      category: 'os',
      labels: {},
    },
  };
}

describe('notifier (real NATS, Postgres and HTTP receiver)', () => {
  let service: TestService;
  let nats: TestNats;
  let sink: HttpSink;
  let db: DataSource;

  const received = (alertId: string) =>
    sink.requests.map((r) => r.json<WebhookNotificationV1>()).filter((n) => n.alert.id === alertId);

  async function publish(message: AlertChangedV1, msgId = `${message.alertId}:${message.sequence}`) {
    await nats.client.js.publish(
      nats.client.space.subject(Subjects.AlertsChanged, message.alertId),
      JSON.stringify(message),
      { msgID: msgId },
    );
  }

  beforeAll(async () => {
    sink = await new HttpSink().start();
    service = await startTestService(notifierService, {
      NOTIFIER_WEBHOOK_URLS: `${sink.url}/hook`,
      NOTIFIER_WEBHOOK_TIMEOUT_MS: '2000',
    });
    nats = service.nats;
    db = service.app.get(DataSource);
  });

  afterAll(async () => {
    await service?.stop();
    await sink?.stop();
  });

  it('POSTs a JSON notification for an opened alert, with an idempotency key', async () => {
    const alertId = randomUUID();
    await publish(change(alertId, 1, 'opened'));
    const [notification] = await waitFor(
      'the webhook',
      () => received(alertId).length === 1 && received(alertId),
    );
    expect(notification).toMatchObject({
      version: 1,
      kind: 'alert.opened',
      sequence: 1,
      alert: { id: alertId },
    });
    const request = sink.requests.find((r) => r.json<WebhookNotificationV1>().alert.id === alertId)!;
    expect(request.path).toBe('/hook');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe(notification.notificationId);
    // The log is marked after the receiver answered.
    const row = await waitFor('the log to record the send', async () => {
      const [found] = await db.query<{ status: string; attempts: number }[]>(
        `SELECT status, attempts FROM notifier.deliveries
          WHERE target LIKE 'feed:%' AND payload #>> '{transition,alertId}' = $1`,
        [alertId],
      );
      return found?.status === 'sent' && found;
    });
    expect(row).toEqual({ status: 'sent', attempts: 1 });
  });

  it('sends the feed unsigned when no NOTIFIER_WEBHOOK_SECRETS is set', async () => {
    const alertId = randomUUID();
    await publish(change(alertId, 1, 'opened'));
    await waitFor('the webhook', () => received(alertId).length === 1);
    const request = sink.requests.find((r) => r.json<WebhookNotificationV1>().alert.id === alertId)!;
    expect(request.headers['vigil-signature']).toBeUndefined();
    expect(request.headers['vigil-timestamp']).toBeUndefined();
  });

  it('sends nothing twice when the same transition arrives again', async () => {
    const alertId = randomUUID();
    const message = change(alertId, 1, 'opened');
    await publish(message, 'first-delivery');
    await waitFor('the first webhook', () => received(alertId).length === 1);
    // A second copy past the stream's duplicate window (a different message id) reaches the handler.
    await publish(message, 'second-delivery');
    await waitFor('the second copy to be handled', async () => {
      const info = await nats.client.jsm.consumers.info(
        nats.client.space.stream(StreamNames.AlertsChanged),
        'notifier-alerts',
      );
      return info.num_pending === 0 && info.num_ack_pending === 0;
    });
    expect(received(alertId)).toHaveLength(1);
  });

  it('sends a resolved notification, but not a severity change', async () => {
    const alertId = randomUUID();
    await publish(change(alertId, 1, 'opened'));
    await publish(change(alertId, 2, 'severity_changed'));
    await publish(change(alertId, 3, 'resolved'));
    await waitFor('two webhooks', () => received(alertId).length === 2);
    expect(received(alertId).map((n) => n.kind)).toEqual(['alert.opened', 'alert.resolved']);
  });

  it('skips changes the correlator marked not to notify (damped or snoozed), and sends the rest', async () => {
    const alertId = randomUUID();
    const flapping = (sequence: number, kind: AlertChange, notify: boolean): AlertChangedV1 => {
      const message = change(alertId, sequence, kind);
      return { ...message, notify, alert: { ...message.alert, flapping: kind !== 'flapping_stopped' } };
    };
    await publish(change(alertId, 1, 'opened'));
    await publish(flapping(2, 'resolved', false));
    await publish(flapping(3, 'flapping_started', true));
    await publish(flapping(4, 'reopened', false));
    await publish(flapping(5, 'flapping_stopped', true));
    await waitFor('three webhooks', () => received(alertId).length === 3);
    // Everything was consumed: the damped changes were skipped, not left pending.
    await waitFor('the acks', async () => {
      const info = await nats.client.jsm.consumers.info(
        nats.client.space.stream(StreamNames.AlertsChanged),
        'notifier-alerts',
      );
      return info.num_ack_pending === 0 && info.num_pending === 0;
    });
    expect(
      received(alertId)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['alert.flapping_started', 'alert.flapping_stopped', 'alert.opened']);
  });

  it('retries a failing receiver with back-off and delivers once it recovers', async () => {
    const alertId = randomUUID();
    sink.failNext(2);
    await publish(change(alertId, 1, 'opened'));
    await waitFor('the delivery after two failures', () => received(alertId).length === 1, {
      timeoutMs: 30_000,
    });
    const row = await waitFor('the log to record the send', async () => {
      const [found] = await db.query<{ status: string; attempts: number; last_error: string | null }[]>(
        `SELECT status, attempts, last_error FROM notifier.deliveries
          WHERE target LIKE 'feed:%' AND payload #>> '{transition,alertId}' = $1`,
        [alertId],
      );
      return found?.status === 'sent' && found;
    });
    expect(row).toEqual({ status: 'sent', attempts: 3, last_error: null });
  });

  it('lets only one of two concurrent senders deliver the same notification', async () => {
    const alertId = randomUUID();
    const message = change(alertId, 1, 'opened');
    // Two replicas queue the same transition at once; both replicas' delivery pollers run.
    const replica = await startTestService(
      notifierService,
      { NOTIFIER_WEBHOOK_URLS: `${sink.url}/hook`, NOTIFIER_WEBHOOK_TIMEOUT_MS: '2000' },
      { shareWith: service },
    );
    try {
      const results = await Promise.allSettled([
        service.app.get(FeedService).queue([message]),
        replica.app.get(FeedService).queue([message]),
      ]);
      await waitFor('the delivery', () => received(alertId).length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(received(alertId)).toHaveLength(1);
      // Both queued it (one found the row already there); either way it is sent once.
      expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    } finally {
      await replica.stop();
    }
  });
});

/**
 * The feed is a subscription served by the delivery log: a feed URL is retried with back-off and
 * signed like a webhook channel, with one Idempotency-Key per transition, announced as failed after
 * the last attempt, and sent once however many replicas handle and redeliver the change.
 */
describe('the transition feed through the delivery log (real NATS, Postgres and HTTP receiver)', () => {
  const SECRET = 'feed-secret-current-0123456789';
  const PREVIOUS = 'feed-secret-previous-0123456789';
  const ENV = {
    NOTIFIER_WEBHOOK_SECRETS: `${SECRET}, ${PREVIOUS}`,
    NOTIFIER_WEBHOOK_TIMEOUT_MS: '2000',
    NOTIFIER_DELIVERY_POLL_INTERVAL_MS: '50',
    NOTIFIER_DELIVERY_MAX_ATTEMPTS: '4',
    NOTIFIER_RETRY_BASE_MS: '400',
    NOTIFIER_RETRY_MAX_MS: '2000',
  };
  const ACCEPT = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
  let service: TestService;
  let sink: HttpSink;
  let db: DataSource;

  const attemptsAbout = (alertId: string): ReceivedRequest[] =>
    sink.requests.filter((r) => r.json<WebhookNotificationV1>().alert.id === alertId);

  async function publish(message: AlertChangedV1, msgId = `${message.alertId}:${message.sequence}`) {
    await service.nats.client.js.publish(
      service.nats.client.space.subject(Subjects.AlertsChanged, message.alertId),
      JSON.stringify(message),
      { msgID: msgId },
    );
  }

  beforeAll(async () => {
    sink = await new HttpSink().start();
    service = await startTestService(notifierService, { ...ENV, NOTIFIER_WEBHOOK_URLS: `${sink.url}/feed` });
    db = service.app.get(DataSource);
  });

  afterAll(async () => {
    await service?.stop();
    await sink?.stop();
  });

  it('retries a failing receiver with back-off, each attempt signed and with the same Idempotency-Key', async () => {
    const alertId = randomUUID();
    // The sink records every attempt (failures too), so their headers can be compared.
    sink.answerWith({ status: 503, body: 'try later' });
    try {
      await publish(change(alertId, 1, 'opened'));
      await waitFor('two refused attempts', () => attemptsAbout(alertId).length >= 2, { intervalMs: 10 });
    } finally {
      sink.answerWith(ACCEPT);
    }
    await waitFor('the third attempt', () => attemptsAbout(alertId).length === 3);
    const attempts = attemptsAbout(alertId);
    const bodies = attempts.map((r) => r.json<WebhookNotificationV1>());

    // The feed's body, as before it went through the delivery log.
    expect(bodies[0]).toMatchObject({
      version: 1,
      kind: 'alert.opened',
      sequence: 1,
      alert: { id: alertId },
    });
    const key = bodies[0].notificationId;
    expect(key).toMatch(new RegExp(`^alert:${alertId}:1:webhook:[0-9a-f]{16}$`));
    for (const [i, attempt] of attempts.entries()) {
      expect(attempt.path).toBe('/feed');
      expect(attempt.headers['idempotency-key']).toBe(key);
      expect(bodies[i].notificationId).toBe(key);
      // Signed as the webhook channel signs: one v1= per secret while rotating, each verifiable.
      const signed = {
        body: attempt.body,
        timestamp: attempt.headers['vigil-timestamp'],
        signature: attempt.headers['vigil-signature'],
      };
      expect(String(signed.signature).split(',')).toHaveLength(2);
      expect(verifyWebhookSignature({ ...signed, secret: SECRET })).toMatchObject({ ok: true });
      expect(verifyWebhookSignature({ ...signed, secret: PREVIOUS })).toMatchObject({ ok: true });
      expect(verifyWebhookSignature({ ...signed, secret: 'not-the-feed-secret-0123' })).toEqual({
        ok: false,
        reason: 'mismatch',
      });
    }
    // Exponential back-off: the first retry waits at least half the base, the second half of twice it.
    const gaps = attempts.slice(1).map((attempt, i) => attempt.receivedAt - attempts[i].receivedAt);
    expect(gaps[0]).toBeGreaterThanOrEqual(200);
    expect(gaps[1]).toBeGreaterThanOrEqual(400);

    const [row] = await db.query<
      { status: string; attempts: number; channel_type: string; target: string }[]
    >(`SELECT status, attempts, channel_type, target FROM notifier.deliveries WHERE dedup_key = $1`, [key]);
    expect(row).toEqual({
      status: 'sent',
      attempts: 3,
      channel_type: 'webhook',
      target: expect.stringMatching(/^feed:[0-9a-f]{16}$/),
    });
  });

  it('after the last attempt announces the failure, as for any channel', async () => {
    const failures: Record<string, unknown>[] = [];
    const raised: Record<string, unknown>[] = [];
    const { connection, space } = service.nats.client;
    const subscriptions = [
      connection.subscribe(space.wildcard(Subjects.NotificationsFailed), {
        callback: (_e, msg) => {
          failures.push(msg.json());
        },
      }),
      connection.subscribe(space.wildcard(Subjects.EventsRaw), {
        callback: (_e, msg) => {
          raised.push(msg.json());
        },
      }),
    ];
    const alertId = randomUUID();
    sink.answerWith({ status: 500, body: 'down' });
    try {
      await publish(change(alertId, 1, 'opened'));
      await waitFor('notifications.failed', () => failures.length === 1, { timeoutMs: 30_000 });
      await waitFor('the failing feed raised as an event', () => raised.length >= 1);
    } finally {
      sink.answerWith(ACCEPT);
      for (const subscription of subscriptions) subscription.unsubscribe();
    }
    expect(attemptsAbout(alertId)).toHaveLength(4);
    const target = failures[0].target as string;
    expect(failures[0]).toMatchObject({
      channelType: 'webhook',
      kind: 'triggered',
      attempts: 4,
      notificationId: attemptsAbout(alertId)[0].headers['idempotency-key'],
      target: expect.stringMatching(/^feed:[0-9a-f]{16}$/),
    });
    // Never the URL: it may carry a token.
    expect(JSON.stringify(failures[0])).not.toContain(sink.url);
    expect(raised[0]).toMatchObject({
      type: 'NotificationChannelFailing',
      node: target,
      severity: 'major',
      fingerprint: `notifier:channel-failing:${target}`,
    });
  });

  it('sends each transition once with two replicas handling changes that arrive twice', async () => {
    const replica = await startTestService(
      notifierService,
      { ...ENV, NOTIFIER_WEBHOOK_URLS: `${sink.url}/feed` },
      { shareWith: service },
    );
    try {
      const ids = Array.from({ length: 30 }, () => randomUUID());
      // Each change twice, past JetStream's de-duplication: either replica may handle either copy.
      await Promise.all(
        ids.flatMap((id) => [
          publish(change(id, 1, 'opened'), `${id}:first`),
          publish(change(id, 1, 'opened'), `${id}:again`),
        ]),
      );
      await waitFor('every transition sent', () => ids.every((id) => attemptsAbout(id).length >= 1), {
        timeoutMs: 30_000,
      });
      await waitFor('both copies handled', async () => {
        const info = await service.nats.client.jsm.consumers.info(
          service.nats.client.space.stream(StreamNames.AlertsChanged),
          'notifier-alerts',
        );
        return info.num_pending === 0 && info.num_ack_pending === 0;
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(ids.filter((id) => attemptsAbout(id).length !== 1)).toEqual([]);
    } finally {
      await replica.stop();
    }
  });
});

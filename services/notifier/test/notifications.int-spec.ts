import { randomUUID } from 'node:crypto';
import { AlertChange, AlertChangedV1, SchemaIds, StreamNames, Subjects } from '@vigil/contracts';
import { HttpSink, startTestService, TestNats, TestService, waitFor } from '@vigil/testing';
import { DataSource } from 'typeorm';
import { NotificationService } from '../src/notifications/notification.service';
import { notifierService } from '../src/service';
import { WebhookNotificationV1 } from '../src/notifications/notification-policy';

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
        'SELECT status, attempts FROM notifier.notification_log WHERE alert_id = $1',
        [alertId],
      );
      return found?.status === 'sent' && found;
    });
    expect(row).toEqual({ status: 'sent', attempts: 1 });
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
        'SELECT status, attempts, last_error FROM notifier.notification_log WHERE alert_id = $1',
        [alertId],
      );
      return found?.status === 'sent' && found;
    });
    expect(row).toEqual({ status: 'sent', attempts: 3, last_error: null });
  });

  it('lets only one of two concurrent senders deliver the same notification', async () => {
    const alertId = randomUUID();
    const message = change(alertId, 1, 'opened');
    const notifications = service.app.get(NotificationService);
    const results = await Promise.allSettled([
      notifications.notify([{ message, finalAttempt: false }]),
      notifications.notify([{ message, finalAttempt: false }]),
    ]);
    expect(received(alertId)).toHaveLength(1);
    // The loser either saw it sent or saw it in progress (and would be retried by the transport).
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
  });
});

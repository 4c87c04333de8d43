import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transition feed (`NOTIFIER_WEBHOOK_URLS`) is served by the delivery log
 * (`notifier.deliveries`), so its own log, `notifier.notification_log`, goes.
 *
 * Its rows hold keys and outcomes but not what was sent (the body came from the NATS message), so
 * nothing in it can be sent again. Only the recent sends move, as `sent` deliveries under the same
 * key (the feed keeps its keys): a change that was sent but not yet acknowledged when the old
 * notifier stopped is redelivered to the new one, which then finds the key and sends nothing twice.
 * A day is far beyond the consumer's redelivery window (twelve deliveries, minutes apart). Older
 * rows are history nobody reads; unsent ones belong to messages NATS still redelivers, and those
 * are queued again.
 */
export class NotifierFeedDeliveries1797000000000 implements MigrationInterface {
  name = 'NotifierFeedDeliveries1797000000000';

  async up(db: QueryRunner): Promise<void> {
    // The kind as the feed now records it; the payload is never read for a sent row.
    await db.query(`
      INSERT INTO notifier.deliveries
        (dedup_key, kind, target, channel_type, status, attempts, payload, created_at, sent_at, updated_at)
      SELECT dedup_key,
             CASE WHEN change IN ('opened', 'reopened', 'unsnoozed', 'released') THEN 'triggered'
                  WHEN change IN ('resolved', 'expired') THEN 'resolved'
                  ELSE 'updated' END,
             'feed:' || split_part(dedup_key, ':webhook:', 2),
             'webhook', 'sent', attempts,
             jsonb_build_object('movedFrom', 'notifier.notification_log', 'change', change),
             created_at, sent_at, updated_at
        FROM notifier.notification_log
       WHERE status = 'sent' AND sent_at > now() - interval '1 day'
      ON CONFLICT (dedup_key) DO NOTHING`);
    await db.query(`DROP TABLE notifier.notification_log`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE notifier.notification_log (
        id bigserial PRIMARY KEY,
        dedup_key text NOT NULL CONSTRAINT notification_log_dedup_key_key UNIQUE,
        alert_id uuid NOT NULL,
        alert_sequence integer NOT NULL,
        change text NOT NULL,
        channel text NOT NULL,
        target text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      ) WITH (fillfactor = 75)`);
    await db.query(`CREATE INDEX notification_log_alert_idx ON notifier.notification_log (alert_id)`);
    // The feed's deliveries back as log rows (keys `alert:<id>:<sequence>:webhook:<target>`), so the
    // old code sends none of them again. Those not sent yet were acknowledged on NATS: nothing will
    // send them, and they are recorded as failed.
    await db.query(`
      INSERT INTO notifier.notification_log
        (dedup_key, alert_id, alert_sequence, change, channel, target, status, attempts, last_error,
         created_at, sent_at, updated_at)
      SELECT dedup_key, split_part(dedup_key, ':', 2)::uuid, split_part(dedup_key, ':', 3)::integer,
             coalesce(payload #>> '{transition,change}', payload ->> 'change', kind),
             'webhook', target, CASE WHEN status = 'sent' THEN 'sent' ELSE 'failed' END, attempts,
             last_error, created_at, sent_at, updated_at
        FROM notifier.deliveries
       WHERE target LIKE 'feed:%'`);
    await db.query(`DELETE FROM notifier.deliveries WHERE target LIKE 'feed:%'`);
  }
}

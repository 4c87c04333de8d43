import { Injectable } from '@nestjs/common';
import { SqlPool, statement } from '@vigil/persistence';

export type ClaimResult = 'claimed' | 'already_sent' | 'in_progress';

export interface NotificationRecord {
  dedupKey: string;
  alertId: string;
  alertSequence: number;
  change: string;
  channel: string;
  target: string;
}

const CLAIM = statement(
  'notification-claim',
  `INSERT INTO notifier.notification_log
     (dedup_key, alert_id, alert_sequence, change, channel, target, status, attempts, lease_until)
   SELECT r.dedup_key, r.alert_id, r.alert_sequence, r.change, r.channel, r.target, 'sending', 1,
          now() + $2 * interval '1 millisecond'
     FROM jsonb_to_recordset($1::jsonb) AS r(dedup_key text, alert_id uuid, alert_sequence integer, change text,
          channel text, target text)
    ORDER BY r.dedup_key
   ON CONFLICT (dedup_key) DO UPDATE
     SET status = 'sending', attempts = notification_log.attempts + 1,
         lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
     WHERE notification_log.status IN ('pending', 'failed')
        OR (notification_log.status = 'sending' AND notification_log.lease_until < now())
   RETURNING dedup_key`,
);

const STATUSES = statement(
  'notification-statuses',
  'SELECT dedup_key, status FROM notifier.notification_log WHERE dedup_key = ANY($1::text[])',
);

const MARK_SENT = statement(
  'notification-sent',
  `UPDATE notifier.notification_log
      SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL, updated_at = now()
    WHERE dedup_key = ANY($1::text[])`,
);

const MARK_FAILED = statement(
  'notification-failed',
  `UPDATE notifier.notification_log
      SET status = $2, last_error = $3, lease_until = NULL, updated_at = now()
    WHERE dedup_key = $1`,
);

@Injectable()
export class NotificationLogRepository {
  constructor(private readonly sql: SqlPool) {}

  /**
   * Takes the right to send, for many notifications in one statement: creates each row, or takes
   * over one that is pending, failed, or whose sender's lease ran out (it crashed). A row already
   * sent, or leased to another sender, is refused. Keys must be distinct.
   */
  async claim(records: readonly NotificationRecord[], leaseMs: number): Promise<Map<string, ClaimResult>> {
    const claimed = await this.sql.query<{ dedup_key: string }>(CLAIM, [
      JSON.stringify(
        records.map((r) => ({
          dedup_key: r.dedupKey,
          alert_id: r.alertId,
          alert_sequence: r.alertSequence,
          change: r.change,
          channel: r.channel,
          target: r.target,
        })),
      ),
      leaseMs,
    ]);
    const results = new Map<string, ClaimResult>(claimed.map((row) => [row.dedup_key, 'claimed']));
    const refused = records.map((r) => r.dedupKey).filter((key) => !results.has(key));
    if (refused.length) {
      const rows = await this.sql.query<{ dedup_key: string; status: string }>(STATUSES, [refused]);
      for (const row of rows)
        results.set(row.dedup_key, row.status === 'sent' ? 'already_sent' : 'in_progress');
    }
    return results;
  }

  async markSent(dedupKeys: readonly string[]): Promise<void> {
    if (!dedupKeys.length) return;
    await this.sql.query(MARK_SENT, [dedupKeys]);
  }

  /** Releases the claim after a failed attempt; `final` marks it failed for good. */
  async markFailed(dedupKey: string, error: string, final: boolean): Promise<void> {
    await this.sql.query(MARK_FAILED, [dedupKey, final ? 'failed' : 'pending', error.slice(0, 2000)]);
  }
}

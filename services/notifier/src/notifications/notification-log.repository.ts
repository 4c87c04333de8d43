import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type ClaimResult = 'claimed' | 'already_sent' | 'in_progress';

export interface NotificationRecord {
  dedupKey: string;
  alertId: string;
  alertSequence: number;
  change: string;
  channel: string;
  target: string;
}

@Injectable()
export class NotificationLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Takes the right to send: creates the row, or takes over one that is pending, failed, or whose
   * sender's lease ran out (it crashed). A row already sent, or leased to another sender, is refused.
   */
  async claim(record: NotificationRecord, leaseMs: number): Promise<ClaimResult> {
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO notifier.notification_log
         (dedup_key, alert_id, alert_sequence, change, channel, target, status, attempts, lease_until)
       VALUES ($1, $2, $3, $4, $5, $6, 'sending', 1, now() + $7 * interval '1 millisecond')
       ON CONFLICT (dedup_key) DO UPDATE
         SET status = 'sending', attempts = notification_log.attempts + 1,
             lease_until = now() + $7 * interval '1 millisecond', updated_at = now()
         WHERE notification_log.status IN ('pending', 'failed')
            OR (notification_log.status = 'sending' AND notification_log.lease_until < now())
       RETURNING id`,
      [
        record.dedupKey,
        record.alertId,
        record.alertSequence,
        record.change,
        record.channel,
        record.target,
        leaseMs,
      ],
    );
    if (claimed.length) return 'claimed';
    const [row] = await this.dataSource.query<{ status: string }[]>(
      'SELECT status FROM notifier.notification_log WHERE dedup_key = $1',
      [record.dedupKey],
    );
    return row?.status === 'sent' ? 'already_sent' : 'in_progress';
  }

  async markSent(dedupKey: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifier.notification_log
          SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL, updated_at = now()
        WHERE dedup_key = $1`,
      [dedupKey],
    );
  }

  /** Releases the claim after a failed attempt; `final` marks it failed for good. */
  async markFailed(dedupKey: string, error: string, final: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifier.notification_log
          SET status = $2, last_error = $3, lease_until = NULL, updated_at = now()
        WHERE dedup_key = $1`,
      [dedupKey, final ? 'failed' : 'pending', error.slice(0, 2000)],
    );
  }
}

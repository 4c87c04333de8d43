import { Injectable } from '@nestjs/common';
import type { NotificationKind } from '@vigil/contracts';
import { SqlPool, statement } from '@vigil/persistence';
import type { Notification } from '../channels/notification';

export interface ClaimedDelivery {
  id: string;
  dedup_key: string;
  page_id: string | null;
  kind: NotificationKind;
  target: string;
  channel_type: string;
  attempts: number;
  payload: Notification;
}

// A row whose sender's lease ran out (it crashed mid-send) is taken over: at least once, never lost.
const CLAIM = statement(
  'delivery-claim',
  `UPDATE notifier.deliveries d
      SET status = 'sending', attempts = d.attempts + 1,
          lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
    WHERE d.id IN (
      SELECT id FROM notifier.deliveries
       WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
       ORDER BY next_attempt_at
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
   RETURNING d.id, d.dedup_key, d.page_id, d.kind, d.target, d.channel_type, d.attempts, d.payload`,
);

const SENT = statement(
  'delivery-sent',
  `UPDATE notifier.deliveries
      SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL, updated_at = now()
    WHERE id = $1`,
);

const RETRY = statement(
  'delivery-retry',
  `UPDATE notifier.deliveries
      SET status = 'pending', next_attempt_at = now() + $2 * interval '1 millisecond', lease_until = NULL,
          last_error = $3, attempts = attempts - $4, updated_at = now()
    WHERE id = $1`,
);

const FAILED = statement(
  'delivery-failed',
  `UPDATE notifier.deliveries
      SET status = 'failed', lease_until = NULL, last_error = $2, updated_at = now()
    WHERE id = $1`,
);

@Injectable()
export class DeliveryStore {
  constructor(private readonly sql: SqlPool) {}

  claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.sql.query<ClaimedDelivery>(CLAIM, [limit, leaseMs]);
  }

  async sent(id: string): Promise<void> {
    await this.sql.query(SENT, [id]);
  }

  /** Back to pending after `delayMs`; a wait for the rate limit does not count as an attempt. */
  async retry(id: string, delayMs: number, error: string, countsAsAttempt: boolean): Promise<void> {
    await this.sql.query(RETRY, [id, delayMs, error.slice(0, 2000), countsAsAttempt ? 0 : 1]);
  }

  async failed(id: string, error: string): Promise<void> {
    await this.sql.query(FAILED, [id, error.slice(0, 2000)]);
  }
}

import { Injectable } from '@nestjs/common';
import type { NotificationKind } from '@vigil/contracts';
import { Sql, SqlPool, statement } from '@vigil/persistence';
import { GroupWrite } from '@vigil/runtime';
import type { Notification } from '../channels';

/** A notification to queue: one row of `notifier.deliveries`, unique on its key. */
export interface NewDelivery {
  /** The notification's id, sent as `Idempotency-Key`: the same on every attempt. */
  dedupKey: string;
  /** The page, episode and escalation step it comes from; absent for the transition feed. */
  page?: { id: string; episode: number; stepId: string };
  kind: NotificationKind;
  target: string;
  channelType: string;
  /** What to say, built once, so every attempt sends the same message. */
  payload: Notification;
}

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

/**
 * The INSERT of born-claimed deliveries from `rows` (`deliveryRecords`), leased for `leaseMs`. A key
 * queued twice (a redelivered change, a step fired by two replicas) is one row. A row is born
 * claimed by the process that queues it (its first attempt, with a lease), which sends it as soon as
 * the transaction commits: no poll and no claim between a page and its sending. Should that process
 * die first, the lease runs out and any poller takes the row over.
 */
export const deliveryInsert = (rows: string, leaseMs: string) => `INSERT INTO notifier.deliveries
     (dedup_key, page_id, episode, step_id, kind, target, channel_type, status, attempts, lease_until, payload)
   SELECT d.dedup_key, d.page_id, d.episode, d.step_id, d.kind, d.target, d.channel_type, 'sending',
          1, now() + ${leaseMs} * interval '1 millisecond', d.payload
     FROM jsonb_to_recordset(${rows}::jsonb) AS d(dedup_key text, page_id uuid, episode integer, step_id bigint,
          kind text, target text, channel_type text, payload jsonb)
   ON CONFLICT (dedup_key) DO NOTHING`;

const QUEUE = statement('delivery-queue', `${deliveryInsert('$1', '$2')} RETURNING id, dedup_key`);

/** Deliveries as the JSON array `deliveryInsert` reads. */
export function deliveryRecords(rows: readonly NewDelivery[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      dedup_key: r.dedupKey,
      page_id: r.page?.id ?? null,
      episode: r.page?.episode ?? null,
      step_id: r.page?.stepId ?? null,
      kind: r.kind,
      target: r.target,
      channel_type: r.channelType,
      payload: r.payload,
    })),
  );
}

/** The rows `deliveryInsert` stored (keys queued before are not among them), as claimed by this process. */
export function claimedDeliveries(
  rows: readonly NewDelivery[],
  inserted: readonly { id: string; dedup_key: string }[],
): ClaimedDelivery[] {
  const byKey = new Map(rows.map((r) => [r.dedupKey, r]));
  return inserted.map(({ id, dedup_key }) => {
    const row = byKey.get(dedup_key)!;
    return {
      id,
      dedup_key,
      page_id: row.page?.id ?? null,
      kind: row.kind,
      target: row.target,
      channel_type: row.channelType,
      attempts: 1,
      payload: row.payload,
    };
  });
}

const NOTIFIED_TARGETS = statement(
  'delivery-notified-targets',
  `SELECT DISTINCT target FROM notifier.deliveries
    WHERE page_id = $1 AND episode = $2 AND kind IN ('triggered', 'escalated', 'repeated')`,
);

// A row whose sender's lease ran out (it crashed mid-send) is taken over: at least once, never lost.
const CLAIM = statement(
  'delivery-claim',
  `UPDATE notifier.deliveries d
      SET status = 'sending', attempts = d.attempts + 1,
          lease_until = now() + $2 * interval '1 millisecond', updated_at = now()
    WHERE d.id IN (
      SELECT id FROM notifier.deliveries
       WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
       ORDER BY next_attempt_at, id
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
   RETURNING d.id, d.dedup_key, d.page_id, d.kind, d.target, d.channel_type, d.attempts, d.payload`,
);

const SENT = statement(
  'delivery-sent',
  `UPDATE notifier.deliveries
      SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL, updated_at = now()
    WHERE id = ANY($1::bigint[])`,
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

/**
 * `notifier.deliveries`, the delivery log: one row per notification that must be sent (a page's
 * step to one target, or an alert transition to one feed URL), claimed with a lease by the process
 * that queued it, and by the poller for retries and rows whose lease ran out.
 */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly sql: SqlPool) {}

  /**
   * Queues deliveries in the caller's transaction (or on its own), claimed by this process for
   * `leaseMs`; keys already queued are left as they are. Resolves with the new rows, for the
   * caller to hand to the delivery poller once its transaction has committed.
   */
  async queue(sql: Sql, rows: readonly NewDelivery[], leaseMs: number): Promise<ClaimedDelivery[]> {
    if (!rows.length) return [];
    const inserted = await sql.query<{ id: string; dedup_key: string }>(QUEUE, [
      deliveryRecords(rows),
      leaseMs,
    ]);
    return claimedDeliveries(rows, inserted);
  }

  /** Everyone a page's episode paged (not those only told of updates), for its notices. */
  async notifiedTargets(sql: Sql, pageId: string, episode: number): Promise<string[]> {
    const rows = await sql.query<{ target: string }>(NOTIFIED_TARGETS, [pageId, episode]);
    return rows.map((r) => r.target);
  }

  /** Due rows, oldest first: sends start in the order they were queued. */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await this.sql.query<ClaimedDelivery>(CLAIM, [limit, leaseMs]);
    // UPDATE … RETURNING keeps no order; bigint ids come back as strings.
    return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  // Sends finish one by one, each wanting its row marked at once: the marks that come while one is
  // being written go out together, so a burst of sends costs a few commits, not one each.
  private readonly sentMarks = new GroupWrite<string>(async (ids) => {
    await this.sql.query(SENT, [ids]);
  });

  /** Marks the delivery sent; resolves once that is committed (with any others marked meanwhile). */
  sent(id: string): Promise<void> {
    return this.sentMarks.add(id);
  }

  /** Back to pending after `delayMs`; a wait for the rate limit does not count as an attempt. */
  async retry(id: string, delayMs: number, error: string, countsAsAttempt: boolean): Promise<void> {
    await this.sql.query(RETRY, [id, delayMs, error.slice(0, 2000), countsAsAttempt ? 0 : 1]);
  }

  async failed(id: string, error: string): Promise<void> {
    await this.sql.query(FAILED, [id, error.slice(0, 2000)]);
  }
}

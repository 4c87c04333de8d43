import { Injectable } from '@nestjs/common';
import { planEachTime, Sql, statement } from '@vigil/persistence';
import type { StepKind } from './page-plan';
import {
  claimedDeliveries,
  ClaimedDelivery,
  deliveryInsert,
  deliveryRecords,
  NewDelivery,
} from '../delivery';
import { stepInsert, stepRecords } from './page.repository';
import type { PageRow, StepFields, StepRow } from './page.repository';

/** A step to fire, with its page (both locked by whoever fires it). */
export interface DueStep extends StepFields {
  step_id: string;
  page: PageRow;
}

// Both the step and its page are locked, and either being locked skips the step: the page's lock
// is what change handling takes, so a step never fires while its page is being changed, and a
// claimed step is never waited for.
const CLAIM_DUE = statement(
  'escalation-claim-due',
  `SELECT s.id AS step_id, s.episode, s.kind, s.round, s.level, s.seq, s.due_at,
          to_jsonb(p) AS page
     FROM notifier.escalation_steps s JOIN notifier.pages p ON p.id = s.page_id
    WHERE s.status = 'pending' AND s.due_at <= now()
    ORDER BY s.due_at
    LIMIT $1
    FOR UPDATE OF s, p SKIP LOCKED`,
);

const POSTPONE_STEP = statement(
  'escalation-postpone-step',
  `UPDATE notifier.escalation_steps SET due_at = $2, outcome = $3 WHERE id = $1`,
);

/**
 * What firing steps wrote, in one statement, so a pass costs one round trip whether it fires one
 * step or a hundred: $1–$3 the finished steps (ids, statuses, outcomes), $4 the steps that follow
 * them, $5 the pages that notified someone, $6 the deliveries (leased for $7 ms). Resolves with
 * the deliveries newly stored. Planned with its actual arrays, as paging's lookups (see
 * PageRepository): a plan cached while the tables were small scanned them whole.
 */
const WRITE_PASS = planEachTime(
  `WITH finished AS (
     UPDATE notifier.escalation_steps s SET status = f.status, outcome = f.outcome, done_at = now()
       FROM unnest($1::bigint[], $2::text[], $3::text[]) AS f(id, status, outcome)
      WHERE s.id = f.id
   ), next AS (
     ${stepInsert('$4')}
   ), notified AS (
     UPDATE notifier.pages SET last_notified_at = now(), updated_at = now() WHERE id = ANY($5::uuid[])
   )
   ${deliveryInsert('$6', '$7')}
   RETURNING id, dedup_key`,
);

const NEXT_SEQ = statement(
  'escalation-next-seq',
  `SELECT COALESCE(max(seq), -1) + 1 AS seq FROM notifier.escalation_steps
    WHERE page_id = $1 AND episode = $2 AND kind = $3`,
);

/** How a pass ended a step. */
export interface FinishedStep {
  stepId: string;
  status: 'done' | 'cancelled';
  outcome: string;
}

/** The SQL of firing escalation steps; every method runs in the caller's transaction. */
@Injectable()
export class EscalationRepository {
  claimDue(sql: Sql, limit: number): Promise<DueStep[]> {
    return sql.query<DueStep>(CLAIM_DUE, [limit]);
  }

  /** Writes a pass's finished and next steps, notified pages and deliveries (`WRITE_PASS`). */
  async writePass(
    sql: Sql,
    pass: { finished: readonly FinishedStep[]; steps: readonly StepRow[]; notifiedPages: readonly string[] },
    deliveries: readonly NewDelivery[],
    leaseMs: number,
  ): Promise<ClaimedDelivery[]> {
    const { finished, steps, notifiedPages } = pass;
    if (!finished.length && !steps.length && !notifiedPages.length && !deliveries.length) return [];
    const inserted = await sql.query<{ id: string; dedup_key: string }>(WRITE_PASS, [
      finished.map((s) => s.stepId),
      finished.map((s) => s.status),
      finished.map((s) => s.outcome.slice(0, 1000)),
      stepRecords(steps),
      notifiedPages,
      deliveryRecords(deliveries),
      leaseMs,
    ]);
    return claimedDeliveries(deliveries, inserted);
  }

  async postpone(sql: Sql, stepId: string, until: Date, outcome: string): Promise<void> {
    await sql.query(POSTPONE_STEP, [stepId, until, outcome]);
  }

  async nextSeq(sql: Sql, pageId: string, episode: number, kind: StepKind): Promise<number> {
    const [row] = await sql.query<{ seq: number }>(NEXT_SEQ, [pageId, episode, kind]);
    return row.seq;
  }
}

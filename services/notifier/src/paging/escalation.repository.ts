import { Injectable } from '@nestjs/common';
import { planEachTime, Sql, statement } from '@vigil/persistence';
import type { StepKind } from './page-plan';
import type { PageRow, StepFields } from './page.repository';

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

// One statement for every step a pass finished, and one for their pages: a pass costs the same
// round trips whether it fires one step or a hundred.
// Planned with its actual arrays, as paging's lookups (see PageRepository): a plan cached while
// the table was small scanned all of it for every pass.
const FINISH_STEPS = planEachTime(
  `UPDATE notifier.escalation_steps s SET status = f.status, outcome = f.outcome, done_at = now()
     FROM unnest($1::bigint[], $2::text[], $3::text[]) AS f(id, status, outcome)
    WHERE s.id = f.id`,
);

const POSTPONE_STEP = statement(
  'escalation-postpone-step',
  `UPDATE notifier.escalation_steps SET due_at = $2, outcome = $3 WHERE id = $1`,
);

const NOTIFIED_PAGES = statement(
  'escalation-notified-pages',
  `UPDATE notifier.pages SET last_notified_at = now(), updated_at = now() WHERE id = ANY($1::uuid[])`,
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

  async finish(sql: Sql, steps: readonly FinishedStep[]): Promise<void> {
    if (!steps.length) return;
    await sql.query(FINISH_STEPS, [
      steps.map((s) => s.stepId),
      steps.map((s) => s.status),
      steps.map((s) => s.outcome.slice(0, 1000)),
    ]);
  }

  async postpone(sql: Sql, stepId: string, until: Date, outcome: string): Promise<void> {
    await sql.query(POSTPONE_STEP, [stepId, until, outcome]);
  }

  async markNotified(sql: Sql, pageIds: readonly string[]): Promise<void> {
    if (pageIds.length) await sql.query(NOTIFIED_PAGES, [pageIds]);
  }

  async nextSeq(sql: Sql, pageId: string, episode: number, kind: StepKind): Promise<number> {
    const [row] = await sql.query<{ seq: number }>(NEXT_SEQ, [pageId, episode, kind]);
    return row.seq;
  }
}

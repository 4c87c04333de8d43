import { Injectable } from '@nestjs/common';
import { Sql, statement } from '@vigil/persistence';
import type { StepKind } from './page-plan';
import type { PageRow, StepRow } from './page.repository';

export interface DueStep {
  step_id: string;
  episode: number;
  kind: StepKind;
  round: number;
  level: number;
  seq: number;
  due_at: Date;
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

const FINISH_STEP = statement(
  'escalation-finish-step',
  `UPDATE notifier.escalation_steps SET status = $2, outcome = $3, done_at = now() WHERE id = $1`,
);

const POSTPONE_STEP = statement(
  'escalation-postpone-step',
  `UPDATE notifier.escalation_steps SET due_at = $2, outcome = $3 WHERE id = $1`,
);

const NOTIFIED_PAGE = statement(
  'escalation-notified-page',
  `UPDATE notifier.pages SET last_notified_at = now(), updated_at = now() WHERE id = $1`,
);

const NEXT_SEQ = statement(
  'escalation-next-seq',
  `SELECT COALESCE(max(seq), -1) + 1 AS seq FROM notifier.escalation_steps
    WHERE page_id = $1 AND episode = $2 AND kind = $3`,
);

const INSERT_STEP = statement(
  'escalation-insert-step',
  `INSERT INTO notifier.escalation_steps (page_id, episode, kind, round, level, seq, due_at, status)
   VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending')
   ON CONFLICT ON CONSTRAINT escalation_steps_once DO NOTHING`,
);

/** The SQL of firing escalation steps; every method runs in the caller's transaction. */
@Injectable()
export class EscalationRepository {
  claimDue(sql: Sql, limit: number): Promise<DueStep[]> {
    return sql.query<DueStep>(CLAIM_DUE, [limit]);
  }

  async finish(sql: Sql, stepId: string, status: 'done' | 'cancelled', outcome: string): Promise<void> {
    await sql.query(FINISH_STEP, [stepId, status, outcome.slice(0, 1000)]);
  }

  async postpone(sql: Sql, stepId: string, until: Date, outcome: string): Promise<void> {
    await sql.query(POSTPONE_STEP, [stepId, until, outcome]);
  }

  async markNotified(sql: Sql, pageId: string): Promise<void> {
    await sql.query(NOTIFIED_PAGE, [pageId]);
  }

  async nextSeq(sql: Sql, pageId: string, episode: number, kind: StepKind): Promise<number> {
    const [row] = await sql.query<{ seq: number }>(NEXT_SEQ, [pageId, episode, kind]);
    return row.seq;
  }

  async insertStep(sql: Sql, step: StepRow): Promise<void> {
    await sql.query(INSERT_STEP, [
      step.pageId,
      step.episode,
      step.kind,
      step.round,
      step.level,
      step.seq,
      step.dueAt,
    ]);
  }
}

import { Injectable } from '@nestjs/common';
import { planEachTime, Sql, statement } from '@vigil/persistence';
import type { SubjectKind } from '../channels';
import type { PageStatus, StepKind } from './page-plan';
import { NAMED_MEMBERS, PageMembers } from './page-members';
import type { MemberRow, MemberTally } from './page-members';

export type { MemberRow } from './page-members';

export interface PageRow {
  id: string;
  route_id: string;
  group_key: string;
  group_labels: Record<string, string>;
  policy_id: string;
  status: PageStatus;
  episode: number;
  title: string;
  severity: string;
  opened_at: Date;
  acknowledged_by?: string | null;
  last_notified_at: Date | null;
}

export interface NewPage {
  id: string;
  routeId: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  policyId: string;
  title: string;
  severity: string;
  openedAt: string;
}

/** Per page and episode: whether a notify step fired, the next free `seq` per step kind, a pending update. */
export interface EpisodeSteps {
  notified: boolean;
  updatePending: boolean;
  nextSeq: Map<StepKind, number>;
}

const INSERT_PAGES = statement(
  'paging-insert-pages',
  `INSERT INTO notifier.pages (id, route_id, group_key, group_labels, policy_id, status, title, severity, opened_at)
   SELECT p.id, p.route_id, p.group_key, p.group_labels, p.policy_id, 'resolved', p.title, p.severity, p.opened_at
     FROM jsonb_to_recordset($1::jsonb) AS p(id uuid, route_id text, group_key text, group_labels jsonb,
          policy_id text, title text, severity text, opened_at timestamptz)
    ORDER BY p.route_id, p.group_key
   ON CONFLICT (route_id, group_key) DO NOTHING`,
);

// Lookups of a batch's few rows in tables that only grow (pages, members, steps) are planned with
// their actual arrays: `unnest` of a known array tells the planner how few rows it looks for, where
// `jsonb_to_recordset` counts as a hundred and a cached plan stays whatever suited the table when it
// was small. Either way the plan was a sequential scan of the table for every batch, whose cost grew
// with every page ever opened.
//
// One order for every locker (by id), so concurrent batches cannot deadlock on pages. A statement
// of its own after the batch's INSERT of pages, so its snapshot sees a page another transaction
// inserted first (the insert then did nothing).
const LOCK_PAGES = planEachTime(
  `SELECT id, route_id, group_key, group_labels, policy_id, status, episode, title, severity, opened_at,
          last_notified_at
     FROM notifier.pages
    WHERE id IN (SELECT p.id FROM notifier.pages p
                   JOIN unnest($1::text[], $2::text[]) AS k(route_id, group_key)
                     ON k.route_id = p.route_id AND k.group_key = p.group_key
                 UNION
                 SELECT m.page_id FROM notifier.page_members m
                   JOIN unnest($3::text[], $4::uuid[]) AS s(kind, id)
                     ON s.kind = m.subject_kind AND s.id = m.subject_id)
    ORDER BY id FOR UPDATE`,
);

const MEMBERS = statement(
  'paging-members',
  `SELECT page_id, subject_kind, subject_id, sequence, state, quiet_reason, snapshot
     FROM notifier.page_members WHERE page_id = ANY($1::uuid[]) ORDER BY joined_at, subject_id`,
);

// A page's members in aggregate, its first ones by joining order, and the ones a batch changes:
// what paging needs, in rows that do not grow with the page (see PageMembers).
const MEMBER_TALLY = statement(
  'paging-member-tally',
  `SELECT page_id, state, snapshot->>'severity' AS severity, count(*)::int AS count
     FROM notifier.page_members WHERE page_id = ANY($1::uuid[])
    GROUP BY page_id, state, snapshot->>'severity'`,
);

const FIRST_MEMBERS = statement(
  'paging-first-members',
  `SELECT m.page_id, m.subject_kind, m.subject_id, m.sequence, m.state, m.quiet_reason, m.snapshot
     FROM unnest($1::uuid[]) AS p(id)
     CROSS JOIN LATERAL (
       SELECT * FROM notifier.page_members WHERE page_id = p.id ORDER BY joined_at, subject_id LIMIT $2
     ) m
    ORDER BY m.page_id, m.joined_at, m.subject_id`,
);

const MEMBERS_OF = statement(
  'paging-members-of',
  `SELECT m.page_id, m.subject_kind, m.subject_id, m.sequence, m.state, m.quiet_reason, m.snapshot
     FROM notifier.page_members m
     JOIN jsonb_to_recordset($2::jsonb) AS s(kind text, id uuid)
       ON s.kind = m.subject_kind AND s.id = m.subject_id
    WHERE m.page_id = ANY($1::uuid[])`,
);

const EPISODE_STEPS = planEachTime(
  `SELECT s.page_id, s.kind, max(s.seq) AS max_seq,
          bool_or(s.kind = 'notify' AND s.status = 'done') AS notified,
          bool_or(s.kind = 'update' AND s.status = 'pending') AS update_pending
     FROM notifier.escalation_steps s JOIN notifier.pages p ON p.id = s.page_id AND p.episode = s.episode
    WHERE s.page_id = ANY($1::uuid[]) AND p.id = ANY($1::uuid[])
    GROUP BY s.page_id, s.kind`,
);

/** The INSERT of escalation steps from the JSON array parameter `rows` (`stepRecords`), for a larger statement. */
export const stepInsert = (rows: string) => `INSERT INTO notifier.escalation_steps
     (page_id, episode, kind, round, level, seq, due_at, status)
   SELECT s.page_id, s.episode, s.kind, s.round, s.level, s.seq, s.due_at, 'pending'
     FROM jsonb_to_recordset(${rows}::jsonb) AS s(page_id uuid, episode integer, kind text, round integer,
          level integer, seq integer, due_at timestamptz)
   ON CONFLICT ON CONSTRAINT escalation_steps_once DO NOTHING`;

/**
 * What paging planned for a batch, in one statement: $1 page updates (and $2 their ids), $3
 * members, $4 step cancellations (and $5 their pages), $6 new steps (each a JSON array or an
 * array of ids). Steps already stored are left as they are; the new ones come back. The steps
 * inserted are not among those cancelled, as when the cancel was a statement of its own before.
 */
const WRITE_PLAN = planEachTime(
  `WITH updated AS (
     UPDATE notifier.pages p
        SET status = u.status, episode = u.episode, title = u.title, severity = u.severity,
            opened_at = u.opened_at, acknowledged_at = u.acknowledged_at, acknowledged_by = u.acknowledged_by,
            resolved_at = u.resolved_at, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, status text, episode integer, title text, severity text,
            opened_at timestamptz, acknowledged_at timestamptz, acknowledged_by text, resolved_at timestamptz)
      WHERE p.id = u.id AND p.id = ANY($2::uuid[])
   ), members AS (
     INSERT INTO notifier.page_members (page_id, subject_kind, subject_id, sequence, state, quiet_reason, snapshot)
     SELECT m.page_id, m.subject_kind, m.subject_id, m.sequence, m.state, m.quiet_reason, m.snapshot
       FROM jsonb_to_recordset($3::jsonb) AS m(page_id uuid, subject_kind text, subject_id uuid, sequence integer,
            state text, quiet_reason text, snapshot jsonb)
     ON CONFLICT (page_id, subject_kind, subject_id) DO UPDATE
       SET sequence = EXCLUDED.sequence, state = EXCLUDED.state, quiet_reason = EXCLUDED.quiet_reason,
           snapshot = EXCLUDED.snapshot, updated_at = now()
   ), cancelled AS (
     UPDATE notifier.escalation_steps s
        SET status = 'cancelled', outcome = c.reason, done_at = now()
       FROM jsonb_to_recordset($4::jsonb) AS c(page_id uuid, episode integer, kind text, reason text)
      WHERE s.page_id = c.page_id AND s.episode = c.episode AND s.kind = c.kind AND s.status = 'pending'
        AND s.page_id = ANY($5::uuid[])
   )
   ${stepInsert('$6')}
   RETURNING id, page_id, episode, kind, round, level, seq, due_at`,
);

/** What a stored step is, whoever reads it. */
export interface StepFields {
  episode: number;
  kind: StepKind;
  round: number;
  level: number;
  seq: number;
  due_at: Date;
}

/** A step as stored: its row id (bigint, as a string) beside what was inserted. */
export interface StoredStep extends StepFields {
  id: string;
  page_id: string;
}

export interface PageUpdate {
  id: string;
  status: PageStatus;
  episode: number;
  title: string;
  severity: string;
  openedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
}

export interface StepRow {
  pageId: string;
  episode: number;
  kind: StepKind;
  round: number;
  level: number;
  seq: number;
  dueAt: Date;
}

export interface CancelRow {
  pageId: string;
  episode: number;
  kind: StepKind;
  reason: string;
}

/** A batch's page updates, members, cancelled and new steps (`PageRepository.writePlan`). */
export interface PlanWrites {
  updates: readonly PageUpdate[];
  members: readonly MemberRow[];
  cancels: readonly CancelRow[];
  steps: readonly StepRow[];
}

/** Steps as the JSON array `stepInsert` reads. */
export function stepRecords(steps: readonly StepRow[]): string {
  return JSON.stringify(
    steps.map((s) => ({
      page_id: s.pageId,
      episode: s.episode,
      kind: s.kind,
      round: s.round,
      level: s.level,
      seq: s.seq,
      due_at: s.dueAt.toISOString(),
    })),
  );
}

function byPage<T extends { page_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const list = grouped.get(row.page_id) ?? [];
    list.push(row);
    grouped.set(row.page_id, list);
  }
  return grouped;
}

/** The SQL of paging's change handling; every method runs inside the caller's transaction. */
@Injectable()
export class PageRepository {
  async insertPages(sql: Sql, pages: readonly NewPage[]): Promise<void> {
    if (!pages.length) return;
    await sql.query(INSERT_PAGES, [
      JSON.stringify(
        pages.map((p) => ({
          id: p.id,
          route_id: p.routeId,
          group_key: p.groupKey,
          group_labels: p.groupLabels,
          policy_id: p.policyId,
          title: p.title,
          severity: p.severity,
          opened_at: p.openedAt,
        })),
      ),
    ]);
  }

  /**
   * Locks the pages of these keys (route and group) and the pages these subjects are members of,
   * in id order, until the caller's transaction ends.
   */
  async lockPages(
    sql: Sql,
    keys: readonly { routeId: string; groupKey: string }[],
    subjects: readonly { kind: SubjectKind; id: string }[],
  ): Promise<PageRow[]> {
    if (!keys.length && !subjects.length) return [];
    return sql.query<PageRow>(LOCK_PAGES, [
      keys.map((k) => k.routeId),
      keys.map((k) => k.groupKey),
      subjects.map((s) => s.kind),
      subjects.map((s) => s.id),
    ]);
  }

  /** Every member of the pages, in joining order (to act on all of them). */
  members(sql: Sql, pageIds: readonly string[]): Promise<MemberRow[]> {
    return sql.query<MemberRow>(MEMBERS, [pageIds]);
  }

  /**
   * Each page's members as paging needs them (`PageMembers`): tallied, the first ones named, and
   * in full only those of `subjects`. Read under the pages' locks, so they stay true until commit.
   */
  async pageMembers(
    sql: Sql,
    pageIds: readonly string[],
    subjects: readonly { kind: SubjectKind; id: string }[] = [],
  ): Promise<Map<string, PageMembers>> {
    if (!pageIds.length) return new Map();
    const tallies = await sql.query<MemberTally & { page_id: string }>(MEMBER_TALLY, [pageIds]);
    const first = await sql.query<MemberRow>(FIRST_MEMBERS, [pageIds, NAMED_MEMBERS]);
    const known = subjects.length
      ? await sql.query<MemberRow>(MEMBERS_OF, [pageIds, JSON.stringify(subjects)])
      : [];
    const [talliesOf, firstOf, knownOf] = [byPage(tallies), byPage(first), byPage(known)];
    return new Map(
      pageIds.map((id) => [
        id,
        new PageMembers(talliesOf.get(id) ?? [], firstOf.get(id) ?? [], knownOf.get(id) ?? []),
      ]),
    );
  }

  async episodeSteps(sql: Sql, pageIds: readonly string[]): Promise<Map<string, EpisodeSteps>> {
    if (!pageIds.length) return new Map();
    const rows = await sql.query<{
      page_id: string;
      kind: StepKind;
      max_seq: number;
      notified: boolean;
      update_pending: boolean;
    }>(EPISODE_STEPS, [pageIds]);
    const byPage = new Map<string, EpisodeSteps>();
    for (const row of rows) {
      const steps = byPage.get(row.page_id) ?? { notified: false, updatePending: false, nextSeq: new Map() };
      steps.notified ||= row.notified;
      steps.updatePending ||= row.update_pending;
      steps.nextSeq.set(row.kind, row.max_seq + 1);
      byPage.set(row.page_id, steps);
    }
    return byPage;
  }

  /** Writes what paging planned (`WRITE_PLAN`); resolves with the steps newly stored. */
  async writePlan(sql: Sql, plan: PlanWrites): Promise<StoredStep[]> {
    const { updates, members, cancels, steps } = plan;
    if (!updates.length && !members.length && !cancels.length && !steps.length) return [];
    return sql.query<StoredStep>(WRITE_PLAN, [
      JSON.stringify(
        updates.map((p) => ({
          id: p.id,
          status: p.status,
          episode: p.episode,
          title: p.title,
          severity: p.severity,
          opened_at: p.openedAt,
          acknowledged_at: p.acknowledgedAt,
          acknowledged_by: p.acknowledgedBy,
          resolved_at: p.resolvedAt,
        })),
      ),
      updates.map((p) => p.id),
      JSON.stringify(members),
      JSON.stringify(
        cancels.map((c) => ({ page_id: c.pageId, episode: c.episode, kind: c.kind, reason: c.reason })),
      ),
      [...new Set(cancels.map((c) => c.pageId))],
      stepRecords(steps),
    ]);
  }
}

export function pageKey(routeId: string, groupKey: string): string {
  return `${routeId}\u0000${groupKey}`;
}

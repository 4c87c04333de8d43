import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ServiceMetrics } from '@vigil/observability';
import { Sql, SqlPool } from '@vigil/persistence';
import { pageGroupOf, routeFor, RouteMatch } from '../domain/routing';
import { Counter } from 'prom-client';
import { NotifierConfig } from '../config';
import { PagePlan, planPage, Timing } from './page-plan';
import {
  CancelRow,
  EpisodeSteps,
  MemberRow,
  NewPage,
  PageRow,
  pageKey,
  PageRepository,
  PageUpdate,
  StepRow,
} from './page.repository';
import { SubjectChange } from './subject';
import { memberKey, PageMembers } from './page-members';
import { knowRepeatSeq, newPassWrites, StepFiring } from './step-firing';
import type { DueStep } from './escalation.repository';
import type { ClaimedDelivery } from '../delivery';

/** Timings for a change that reaches a page only as its member (its route no longer matches it). */
const MEMBER_ONLY_TIMING: Timing = { groupWaitMs: 0, groupIntervalMs: 5 * 60_000 };

interface RoutedChange {
  change: SubjectChange;
  groups: { match: RouteMatch; key: string; labels: Record<string, string> }[];
}

interface PageWork {
  row: PageRow;
  /** Created by this batch: it has no status of its own yet. */
  fresh: boolean;
  members: PageMembers;
  steps: EpisodeSteps;
  update: PageUpdate;
  changed: boolean;
}

export interface PagingOutcome {
  /** Steps stored for the escalation poller that are due within a second: it is kicked for them. */
  dueNow: boolean;
  /** Deliveries of the steps fired in the batch's transaction, to send once it commits (`send`). */
  deliveries: ClaimedDelivery[];
}

const NOTHING: PagingOutcome = { dueNow: false, deliveries: [] };

/**
 * Routes alert and incident changes into pages and keeps each page's escalation in step with its
 * members: a batch locks the pages it touches (in id order, so replicas cannot deadlock), plans
 * each change in memory, and writes pages, members and escalation steps in one transaction.
 * Member rows keep the last applied sequence, so a redelivered change does nothing.
 */
@Injectable()
export class PagingService {
  private readonly logger = new Logger(PagingService.name);
  private readonly changesCounter: Counter<'kind' | 'outcome'>;
  private warnedNoTree = false;

  constructor(
    private readonly sql: SqlPool,
    private readonly repository: PageRepository,
    private readonly config: NotifierConfig,
    private readonly firing: StepFiring,
    metrics: ServiceMetrics,
  ) {
    this.changesCounter = metrics.counter(
      'paging_changes_total',
      'Alert and incident changes seen by paging, by outcome (routed, unrouted, quiet, stale).',
      ['kind', 'outcome'],
    );
  }

  /** Applies the changes in a transaction of its own. */
  apply(changes: readonly SubjectChange[], now = new Date()): Promise<PagingOutcome> {
    return this.sql.transaction((tx) => this.applyIn(tx, changes, now));
  }

  /** Applies the changes in the caller's transaction (pages lock until it ends). */
  async applyIn(tx: Sql, changes: readonly SubjectChange[], now = new Date()): Promise<PagingOutcome> {
    const snapshot = this.config.current();
    const tree = snapshot.tree;
    if (!tree) {
      if (!this.warnedNoTree) this.logger.warn('no routing tree is configured: nothing is paged');
      this.warnedNoTree = true;
      for (const change of changes) this.changesCounter.inc({ kind: change.kind, outcome: 'unrouted' });
      return NOTHING;
    }
    this.warnedNoTree = false;
    const routed: RoutedChange[] = changes.map((change) => {
      if (change.state === 'quiet') {
        this.logger.log(
          `${change.kind} ${change.id} (sequence ${change.sequence}) not notified: ${change.quietReason}`,
        );
        this.changesCounter.inc({ kind: change.kind, outcome: 'quiet' });
      }
      // A resolved subject opens nothing; it reaches the pages it is a member of below.
      const matches = change.state === 'resolved' ? [] : routeFor(tree, change.fields);
      return {
        change,
        groups: matches.map((match) => ({
          match,
          ...pageGroupOf(match, change.fields, memberKey(change.kind, change.id)),
        })),
      };
    });
    const newPages = new Map<string, NewPage>();
    for (const { change, groups } of routed) {
      for (const group of groups) {
        const key = pageKey(group.match.routeId, group.key);
        if (newPages.has(key)) continue;
        newPages.set(key, {
          id: randomUUID(),
          routeId: group.match.routeId,
          groupKey: group.key,
          groupLabels: group.labels,
          policyId: group.match.policyId,
          title: change.subject.title,
          severity: change.subject.severity,
          openedAt: change.changedAt,
        });
      }
    }
    await this.repository.insertPages(tx, [...newPages.values()]);
    const subjects = changes.map((c) => ({ kind: c.kind, id: c.id }));
    const rows = await this.repository.lockPages(tx, [...newPages.values()], subjects);
    if (!rows.length) return NOTHING;
    // The batch's groups and the pages its subjects belong to: a key names one page at most.
    const idsByKey = new Map(rows.map((row) => [pageKey(row.route_id, row.group_key), row.id]));
    const work = await this.load(tx, rows, new Set([...newPages.values()].map((p) => p.id)), subjects);
    const pagesOfMember = new Map<string, Set<string>>();
    for (const page of work.values())
      for (const key of page.members.keys()) {
        const set = pagesOfMember.get(key) ?? new Set<string>();
        set.add(page.row.id);
        pagesOfMember.set(key, set);
      }

    const cancels: CancelRow[] = [];
    const inserts: StepRow[] = [];
    const touchedMembers = new Map<string, MemberRow>();
    for (const { change, groups } of routed) {
      const key = memberKey(change.kind, change.id);
      const targets = new Map<string, RouteMatch | undefined>();
      for (const pageId of pagesOfMember.get(key) ?? []) targets.set(pageId, undefined);
      for (const group of groups) {
        const pageId = idsByKey.get(pageKey(group.match.routeId, group.key));
        if (pageId) targets.set(pageId, group.match);
      }
      let applied = false;
      for (const [pageId, match] of targets) {
        const page = work.get(pageId);
        if (!page) continue;
        const member = page.members.get(key);
        if (member && member.sequence >= change.sequence) continue;
        if (!member && change.state === 'resolved') continue;
        const firedAgain = change.state === 'firing' && member?.state !== 'firing';
        const next: MemberRow = {
          page_id: pageId,
          subject_kind: change.kind,
          subject_id: change.id,
          sequence: change.sequence,
          state: change.state,
          quiet_reason: change.quietReason ?? null,
          snapshot: change.subject,
        };
        page.members.set(key, next);
        touchedMembers.set(`${pageId}/${key}`, next);
        if (!member) {
          const set = pagesOfMember.get(key) ?? new Set<string>();
          set.add(pageId);
          pagesOfMember.set(key, set);
        }
        const timing = match ?? MEMBER_ONLY_TIMING;
        const plan = planPage(
          {
            status: page.fresh ? undefined : page.update.status,
            notified: page.steps.notified,
            updatePending: page.steps.updatePending,
            lastNotifiedAt: page.row.last_notified_at ?? undefined,
          },
          page.members.status(),
          firedAgain,
          timing,
          now,
        );
        this.applyPlan(page, plan, change, now, cancels, inserts);
        applied = true;
      }
      this.changesCounter.inc({ kind: change.kind, outcome: applied ? 'routed' : 'stale' });
    }
    const updates = [...work.values()].filter((p) => p.changed).map((p) => p.update);
    const stored = await this.repository.writePlan(tx, {
      updates,
      members: [...touchedMembers.values()],
      cancels,
      steps: inserts,
    });
    // A step due now (groupWait 0, a resolution notice) fires here, in the transaction that holds
    // its page: the page is paged without waiting for the escalation poller to claim the step.
    const writes = newPassWrites();
    const firedNow = new Set<string>();
    for (const step of stored) {
      if (step.due_at.getTime() > now.getTime()) continue;
      const page = work.get(step.page_id);
      if (!page) continue;
      knowRepeatSeq(writes, page.row.id, page.update.episode, page.steps.nextSeq.get('repeat') ?? 0);
      const due: DueStep = {
        step_id: step.id,
        episode: step.episode,
        kind: step.kind,
        round: step.round,
        level: step.level,
        seq: step.seq,
        due_at: step.due_at,
        page: {
          ...page.row,
          status: page.update.status,
          episode: page.update.episode,
          title: page.update.title,
          severity: page.update.severity,
          opened_at: page.update.openedAt,
          acknowledged_by: page.update.acknowledgedBy,
        },
      };
      await this.firing.fire(tx, due, page.members, snapshot, writes, now);
      firedNow.add(step.id);
    }
    const deliveries = await this.firing.write(tx, writes);
    return {
      dueNow: stored.some((s) => !firedNow.has(s.id) && s.due_at.getTime() <= now.getTime() + 1000),
      deliveries,
    };
  }

  /** Sends what the steps fired in a committed batch queued. */
  send(outcome: PagingOutcome): void {
    this.firing.send(outcome.deliveries);
  }

  private async load(
    tx: Sql,
    rows: readonly PageRow[],
    createdIds: Set<string>,
    subjects: readonly Pick<SubjectChange, 'kind' | 'id'>[],
  ): Promise<Map<string, PageWork>> {
    // A page this batch created has no members and no steps yet: only older pages' are read.
    const older = rows.map((row) => row.id).filter((id) => !createdIds.has(id));
    const members = await this.repository.pageMembers(tx, older, subjects);
    const steps = await this.repository.episodeSteps(tx, older);
    const work = new Map<string, PageWork>();
    for (const row of rows) {
      work.set(row.id, {
        row,
        fresh: createdIds.has(row.id),
        members: members.get(row.id) ?? PageMembers.of([]),
        steps: steps.get(row.id) ?? { notified: false, updatePending: false, nextSeq: new Map() },
        changed: false,
        update: {
          id: row.id,
          status: row.status,
          episode: row.episode,
          title: row.title,
          severity: row.severity,
          openedAt: row.opened_at,
          acknowledgedAt: null,
          acknowledgedBy: null,
          resolvedAt: null,
        },
      });
    }
    return work;
  }

  private applyPlan(
    page: PageWork,
    plan: PagePlan,
    change: SubjectChange,
    now: Date,
    cancels: CancelRow[],
    inserts: StepRow[],
  ): void {
    const { update } = page;
    const previous = page.fresh ? undefined : update.status;
    page.fresh = false;
    page.changed = true;
    if (plan.newEpisode) {
      update.episode += 1;
      page.steps = { notified: false, updatePending: false, nextSeq: new Map() };
    }
    if (plan.newEpisode || previous === undefined) {
      update.openedAt = now;
      update.acknowledgedAt = null;
      update.acknowledgedBy = null;
      update.resolvedAt = null;
    }
    for (const kind of plan.cancel) {
      cancels.push({ pageId: update.id, episode: update.episode, kind, reason: `page ${plan.status}` });
      if (kind === 'update') page.steps.updatePending = false;
      // A step inserted earlier in this batch is cancelled before it is written.
      for (let i = inserts.length - 1; i >= 0; i--) {
        const step = inserts[i];
        if (step.pageId === update.id && step.episode === update.episode && step.kind === kind)
          inserts.splice(i, 1);
      }
    }
    for (const step of plan.insert) {
      const seq = page.steps.nextSeq.get(step.kind) ?? 0;
      page.steps.nextSeq.set(step.kind, seq + 1);
      if (step.kind === 'update') page.steps.updatePending = true;
      const due = now.getTime() + step.delayMs;
      inserts.push({
        pageId: update.id,
        episode: update.episode,
        kind: step.kind,
        round: 0,
        level: 0,
        seq,
        dueAt: new Date(Math.max(due, step.notBefore?.getTime() ?? 0)),
      });
    }
    if (plan.status === 'acknowledged' && previous === 'triggered') {
      update.acknowledgedAt = now;
      update.acknowledgedBy = change.actor ?? null;
    }
    if (plan.status === 'resolved' && previous !== 'resolved') update.resolvedAt = now;
    update.status = plan.status;
    const severity = page.members.worstLive();
    if (severity) update.severity = severity;
    const { size } = page.members;
    const lead = page.members.lead()?.snapshot ?? change.subject;
    update.title =
      size === 1 ? change.subject.title : `${page.members.countOf('live') || size} of ${size}: ${lead.title}`;
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NotificationKind } from '@vigil/contracts';
import { ServiceMetrics } from '@vigil/observability';
import { Sql } from '@vigil/persistence';
import { Counter } from 'prom-client';
import { EscalationPolicy, EscalationTarget, nextEscalation } from '../domain/escalation';
import { notificationWindow, ROUTE_DEFAULTS, routeById } from '../domain/routing';
import { whoIsOnCall } from '../domain/schedules';
import { contactByTarget, ContactTarget, contactsFor, NotifierConfigSnapshot } from '../config';
import { ClaimedDelivery, DeliveryPoller, DeliveryRepository, NewDelivery } from '../delivery';
import { DueStep, EscalationRepository, FinishedStep } from './escalation.repository';
import { buildNotification, deliveryKey, pageLinks, pageSubject, PageView } from './page-notification';
import type { StepRow } from './page.repository';
import type { PageMembers } from './page-members';
import { PAGING_SETTINGS } from './paging.settings';
import type { PagingSettings } from './paging.settings';

/** What one pass writes, gathered while its steps fire and written a statement per table. */
export interface PassWrites {
  deliveries: NewDelivery[];
  finished: FinishedStep[];
  /** The steps that follow the fired ones. */
  steps: StepRow[];
  /** Pages that notified someone (`last_notified_at`). */
  notifiedPages: Set<string>;
  /** The next `repeat` sequence per page and episode, once this pass has used one. */
  repeatSeq: Map<string, number>;
}

const NOTICE_KINDS: Readonly<Record<string, NotificationKind>> = {
  update: 'updated',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
};

/** An empty set of writes, for one pass or one batch of changes. */
export function newPassWrites(): PassWrites {
  return { deliveries: [], finished: [], steps: [], notifiedPages: new Set(), repeatSeq: new Map() };
}

const repeatKey = (pageId: string, episode: number) => `${pageId}/${episode}`;

/**
 * Tells the pass the next `repeat` sequence of a page's episode when the caller already knows it
 * (paging has read the episode's steps), so firing needs no query for it.
 */
export function knowRepeatSeq(writes: PassWrites, pageId: string, episode: number, next: number): void {
  const key = repeatKey(pageId, episode);
  if (!writes.repeatSeq.has(key)) writes.repeatSeq.set(key, next);
}

/**
 * Fires escalation steps the caller holds (locked with their pages, in its transaction): whom the
 * step reaches, what they are told, and the step that follows. The escalation poller fires the
 * steps it claims when due; paging fires a page's first step in the transaction that opened the
 * page when it is due at once, so nothing waits for a poll.
 */
@Injectable()
export class StepFiring {
  private readonly logger = new Logger(StepFiring.name);
  private readonly steps: Counter<'kind' | 'outcome'>;

  constructor(
    private readonly repository: EscalationRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly deliveryPoller: DeliveryPoller,
    @Inject(PAGING_SETTINGS) private readonly settings: PagingSettings,
    metrics: ServiceMetrics,
  ) {
    this.steps = metrics.counter(
      'escalation_steps_total',
      'Escalation steps handled, by kind and outcome (fired, cancelled, postponed).',
      ['kind', 'outcome'],
    );
  }

  /**
   * Writes what firing gathered, a statement per table, in the caller's transaction; resolves
   * with the deliveries to send once it commits (`send`).
   */
  async write(tx: Sql, writes: PassWrites): Promise<ClaimedDelivery[]> {
    return this.repository.writePass(
      tx,
      { finished: writes.finished, steps: writes.steps, notifiedPages: [...writes.notifiedPages] },
      writes.deliveries,
      this.deliveryPoller.leaseMs,
    );
  }

  /** Sends the deliveries of committed steps. */
  send(deliveries: readonly ClaimedDelivery[]): void {
    this.deliveryPoller.send(deliveries);
  }

  async fire(
    tx: Sql,
    step: DueStep,
    members: PageMembers,
    snapshot: NotifierConfigSnapshot,
    writes: PassWrites,
    now: Date,
  ): Promise<void> {
    const { page } = step;
    const finish = (status: 'done' | 'cancelled', outcome: string) => {
      writes.finished.push({ stepId: step.step_id, status, outcome });
      this.steps.inc({ kind: step.kind, outcome: status === 'done' ? 'fired' : 'cancelled' });
    };
    if (step.episode !== page.episode) return finish('cancelled', 'the episode is over');
    const view: PageView = {
      id: page.id,
      status: page.status,
      title: page.title,
      severity: page.severity,
      groupLabels: page.group_labels,
    };
    const subject = pageSubject(view, members);
    const links = pageLinks(view, this.settings.links, now);
    // One delivery of this step to one contact; `extra` is what the kind of notice adds.
    const queue = (
      kind: NotificationKind,
      contact: ContactTarget,
      extra: Pick<Parameters<typeof buildNotification>[0], 'escalation' | 'actor'>,
    ) => {
      const id = deliveryKey(page.id, page.episode, step, contact.target);
      writes.deliveries.push({
        dedupKey: id,
        page: { id: page.id, episode: page.episode, stepId: step.step_id },
        kind,
        target: contact.target,
        channelType: contact.channelType,
        payload: buildNotification({ id, kind, subject, links, contact, now, ...extra }),
      });
    };
    const tree = snapshot.tree;
    const route = tree ? routeById(tree, page.route_id) : undefined;

    if (step.kind === 'notify' || step.kind === 'repeat') {
      if (page.status !== 'triggered') return finish('cancelled', `page ${page.status}`);
      if (tree && route) {
        const window = notificationWindow(tree, route, now);
        if (!window.allowed) {
          const why = `${window.reason} by time interval "${window.interval}"`;
          if (!window.until) return finish('cancelled', `${why}, which never ends`);
          await this.repository.postpone(tx, step.step_id, window.until, why);
          this.steps.inc({ kind: step.kind, outcome: 'postponed' });
          return;
        }
      }
      const policy =
        snapshot.policies.get(page.policy_id) ?? (route && snapshot.policies.get(route.policyId));
      if (!policy) {
        this.logger.error(
          `page ${page.id}: escalation policy "${page.policy_id}" does not exist; nobody notified`,
        );
        return finish('done', `no escalation policy "${page.policy_id}"`);
      }
      const levelIndex = Math.min(step.level, policy.levels.length - 1);
      const problems: string[] = [];
      const contacts = this.levelContacts(policy.levels[levelIndex].targets, snapshot, now, problems);
      const kind: NotificationKind =
        step.kind === 'repeat'
          ? 'repeated'
          : step.level === 0 && step.round === 0
            ? 'triggered'
            : 'escalated';
      for (const contact of contacts)
        queue(kind, contact, { escalation: { level: levelIndex + 1, policy: policy.name } });
      await this.scheduleNext(
        tx,
        step,
        policy,
        route?.repeatIntervalMs ?? ROUTE_DEFAULTS.repeatIntervalMs,
        now,
        writes,
      );
      writes.notifiedPages.add(page.id);
      if (problems.length)
        this.logger.warn(`page ${page.id} level ${levelIndex + 1}: ${problems.join('; ')}`);
      if (!contacts.length) this.logger.warn(`page ${page.id} level ${levelIndex + 1}: nobody to notify`);
      return finish(
        'done',
        `${contacts.length} contact(s)${problems.length ? `; ${problems.join('; ')}` : ''}`,
      );
    }

    if (step.kind === 'update' && page.status === 'resolved') return finish('cancelled', 'page resolved');
    const kind = NOTICE_KINDS[step.kind];
    const targets = await this.deliveries.notifiedTargets(tx, page.id, page.episode);
    let reached = 0;
    for (const target of targets) {
      const contact = contactByTarget(snapshot, target);
      if (!contact) continue;
      reached++;
      queue(
        kind,
        contact,
        page.acknowledged_by && kind === 'acknowledged' ? { actor: page.acknowledged_by } : {},
      );
    }
    if (step.kind === 'update') writes.notifiedPages.add(page.id);
    return finish('done', `${reached} of ${targets.length} notified contact(s)`);
  }

  private async scheduleNext(
    tx: Sql,
    step: DueStep,
    policy: EscalationPolicy,
    repeatIntervalMs: number,
    now: Date,
    writes: PassWrites,
  ): Promise<void> {
    const next = step.kind === 'notify' ? nextEscalation(policy, step) : undefined;
    if (next) {
      writes.steps.push({
        pageId: step.page.id,
        episode: step.episode,
        kind: 'notify',
        round: next.round,
        level: next.level,
        seq: step.seq,
        dueAt: new Date(now.getTime() + next.delayMs),
      });
      return;
    }
    // The policy is exhausted: remind the last level every repeat_interval until someone acts.
    // The sequence counts on from what is stored, and from what this pass already added.
    const key = repeatKey(step.page.id, step.episode);
    const seq =
      writes.repeatSeq.get(key) ?? (await this.repository.nextSeq(tx, step.page.id, step.episode, 'repeat'));
    writes.repeatSeq.set(key, seq + 1);
    writes.steps.push({
      pageId: step.page.id,
      episode: step.episode,
      kind: 'repeat',
      round: step.round,
      level: step.level,
      seq,
      dueAt: new Date(now.getTime() + repeatIntervalMs),
    });
  }

  /** Everyone a level reaches now: schedules resolved to who is on call, each contact once. */
  private levelContacts(
    targets: readonly EscalationTarget[],
    snapshot: NotifierConfigSnapshot,
    now: Date,
    problems: string[],
  ): ContactTarget[] {
    const contacts = new Map<string, ContactTarget>();
    const add = (type: 'user' | 'channel', id: string) => {
      for (const contact of contactsFor(snapshot, { type, id }, problems))
        contacts.set(contact.target, contact);
    };
    for (const target of targets) {
      if (target.type !== 'schedule') {
        add(target.type, target.id);
        continue;
      }
      const schedule = snapshot.schedules.get(target.id);
      if (!schedule) {
        problems.push(`no schedule "${target.id}"`);
        continue;
      }
      const onCall = whoIsOnCall(schedule, now);
      if (!onCall.users.length) problems.push(`nobody is on call on schedule "${target.id}"`);
      for (const user of onCall.users) add('user', user);
    }
    return [...contacts.values()];
  }
}

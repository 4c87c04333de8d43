import type { MemberState } from './subject';

/**
 * Where a page stands, from its members: any firing member keeps it `triggered`; otherwise an
 * acknowledged one makes it `acknowledged`; otherwise a quiet one (snoozed, in maintenance,
 * inhibited, flapping) makes it `quiet`; a page whose members are all resolved is `resolved`.
 */
export type PageStatus = 'triggered' | 'acknowledged' | 'quiet' | 'resolved';

export function pageStatus(members: Iterable<MemberState>): PageStatus {
  let acknowledged = false;
  let quiet = false;
  for (const state of members) {
    if (state === 'firing') return 'triggered';
    if (state === 'acknowledged') acknowledged = true;
    if (state === 'quiet') quiet = true;
  }
  if (acknowledged) return 'acknowledged';
  return quiet ? 'quiet' : 'resolved';
}

/** Steps that wait for their time: notify (an escalation level), repeat, update, and the notices. */
export type StepKind = 'notify' | 'repeat' | 'update' | 'acknowledged' | 'resolved';

export interface StepToInsert {
  kind: StepKind;
  /** `now` plus this. */
  delayMs: number;
  /** For an update: not before this (the last notification plus group_interval). */
  notBefore?: Date;
}

export interface PagePlan {
  status: PageStatus;
  /** The page fires again after it was resolved: a new episode notifies from the first level. */
  newEpisode: boolean;
  /** Pending steps of these kinds (in the current episode) are cancelled. */
  cancel: StepKind[];
  insert: StepToInsert[];
}

export interface PageBefore {
  /** Undefined for a page created by this change. */
  status: PageStatus | undefined;
  /** Whether anyone was notified in the current episode (a notify step fired). */
  notified: boolean;
  /** Whether an update is already waiting (one pending update covers any number of changes). */
  updatePending: boolean;
  lastNotifiedAt: Date | undefined;
}

export interface Timing {
  groupWaitMs: number;
  groupIntervalMs: number;
}

/**
 * What a change of membership does to a page: the page's escalation reacts to its status
 * changing, and a page already notified hears about members joining or firing again as an
 * update, no more often than group_interval (Alertmanager's group_wait / group_interval).
 * Pure: the caller stores the result.
 */
export function planPage(
  before: PageBefore,
  after: PageStatus,
  memberFiredAgain: boolean,
  timing: Timing,
  now: Date,
): PagePlan {
  const previous = before.status;
  const plan: PagePlan = { status: after, newEpisode: false, cancel: [], insert: [] };
  if (after === 'triggered') {
    if (previous === undefined || previous === 'resolved') {
      plan.newEpisode = previous === 'resolved';
      // group_wait: wait for the rest of the group before the first notification.
      plan.insert.push({ kind: 'notify', delayMs: timing.groupWaitMs });
    } else if (previous !== 'triggered') {
      // Unacknowledged, or no longer quiet: escalate again from the first level, at once.
      plan.insert.push({ kind: 'notify', delayMs: 0 });
    } else if (memberFiredAgain && before.notified && !before.updatePending) {
      const notBefore = before.lastNotifiedAt
        ? new Date(before.lastNotifiedAt.getTime() + timing.groupIntervalMs)
        : now;
      plan.insert.push({ kind: 'update', delayMs: 0, notBefore });
    }
    return plan;
  }
  if (previous === 'triggered' || previous === undefined) plan.cancel.push('notify', 'repeat');
  if (after === 'resolved' && previous !== 'resolved' && previous !== undefined) {
    plan.cancel.push('notify', 'repeat', 'update');
    if (before.notified) plan.insert.push({ kind: 'resolved', delayMs: 0 });
  } else if (after === 'acknowledged' && previous === 'triggered' && before.notified) {
    plan.insert.push({ kind: 'acknowledged', delayMs: 0 });
  }
  plan.cancel = [...new Set(plan.cancel)];
  return plan;
}

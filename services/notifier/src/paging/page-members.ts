import { SEVERITY_RANK, Severity } from '@vigil/contracts';
import type { NotificationSubject, SubjectKind } from '../channels';
import { pageStatus } from './page-plan';
import type { PageStatus } from './page-plan';
import type { MemberState } from './subject';

/** One alert or incident on a page, as stored. */
export interface MemberRow {
  page_id: string;
  subject_kind: SubjectKind;
  subject_id: string;
  sequence: number;
  state: MemberState;
  quiet_reason: string | null;
  snapshot: NotificationSubject;
}

/** Members a page's notification names; the others are counted. */
export const NAMED_MEMBERS = 20;

/** How many of a page's members are in one state with one severity. */
export interface MemberTally {
  state: MemberState;
  severity: Severity;
  count: number;
}

export function memberKey(kind: string, id: string): string {
  return `${kind}:${id}`;
}

/**
 * What paging needs of a page's members without reading them all: every member tallied by state
 * and severity, the first `NAMED_MEMBERS` by joining order (the ones a notification names), and the
 * members a batch changes. A storm that joins thousands of alerts to one page reads and writes only
 * its own rows, not the page's whole membership again on every batch.
 */
export class PageMembers {
  private readonly tally = new Map<string, MemberTally>();
  private total = 0;
  private readonly named: MemberRow[];
  private readonly rows = new Map<string, MemberRow>();

  /** `named`: the first members in joining order; `known`: every other member the caller may change. */
  constructor(
    tallies: readonly MemberTally[],
    named: readonly MemberRow[],
    known: readonly MemberRow[] = [],
  ) {
    for (const t of tallies) this.count(t.state, t.severity, t.count);
    this.named = named.slice(0, NAMED_MEMBERS);
    for (const row of [...named, ...known]) this.rows.set(memberKey(row.subject_kind, row.subject_id), row);
  }

  /** A page's members when all of them are at hand (a page this batch created holds none yet). */
  static of(members: readonly MemberRow[]): PageMembers {
    const page = new PageMembers([], members.slice(0, NAMED_MEMBERS), members);
    for (const m of members) page.count(m.state, m.snapshot.severity, 1);
    return page;
  }

  get size(): number {
    return this.total;
  }

  /** A member this page was built with or was given since; undefined for one it has not seen. */
  get(key: string): MemberRow | undefined {
    return this.rows.get(key);
  }

  /** The members at hand: the named ones, the ones the page was built to change, those added. */
  keys(): IterableIterator<string> {
    return this.rows.keys();
  }

  /** Adds a member, or replaces one the page was built with (the tally follows). */
  set(key: string, row: MemberRow): void {
    const old = this.rows.get(key);
    if (old) this.count(old.state, old.snapshot.severity, -1);
    this.count(row.state, row.snapshot.severity, 1);
    this.rows.set(key, row);
    const named = old ? this.named.indexOf(old) : -1;
    if (named >= 0) this.named[named] = row;
    else if (!old && this.named.length < NAMED_MEMBERS) this.named.push(row);
  }

  /** The members a notification names, in joining order. */
  get first(): readonly MemberRow[] {
    return this.named;
  }

  status(): PageStatus {
    return pageStatus([...this.tally.values()].filter((t) => t.count > 0).map((t) => t.state));
  }

  /** Members in `state`, or not resolved when `state` is `live`. */
  countOf(state: MemberState | 'live'): number {
    let count = 0;
    for (const t of this.tally.values())
      if (state === 'live' ? t.state !== 'resolved' : t.state === state) count += t.count;
    return count;
  }

  /** The worst severity among members not resolved; undefined when all are. */
  worstLive(): Severity | undefined {
    return this.worst((t) => t.state !== 'resolved');
  }

  /** The worst severity of all members. */
  worstOfAll(): Severity | undefined {
    return this.worst(() => true);
  }

  /** The member that speaks for the page: the first named one not resolved, else the first. */
  lead(): MemberRow | undefined {
    return this.named.find((m) => m.state !== 'resolved') ?? this.named[0];
  }

  private worst(include: (t: MemberTally) => boolean): Severity | undefined {
    let worst: Severity | undefined;
    for (const t of this.tally.values())
      if (t.count > 0 && include(t) && (!worst || SEVERITY_RANK[t.severity] > SEVERITY_RANK[worst]))
        worst = t.severity;
    return worst;
  }

  private count(state: MemberState, severity: Severity, by: number): void {
    const key = `${state}|${severity}`;
    const entry = this.tally.get(key) ?? { state, severity, count: 0 };
    entry.count += by;
    this.tally.set(key, entry);
    this.total += by;
  }
}

import type { Severity } from '@vigil/contracts';
import type { NotificationSubject } from '../channels';
import { memberKey, MemberRow, NAMED_MEMBERS, PageMembers } from './page-members';
import type { MemberState } from './subject';

function member(n: number, state: MemberState, severity: Severity = 'minor'): MemberRow {
  return {
    page_id: 'p',
    subject_kind: 'alert',
    subject_id: `a${n}`,
    sequence: 1,
    state,
    quiet_reason: null,
    snapshot: { title: `alert ${n}`, severity } as NotificationSubject,
  };
}

describe('PageMembers', () => {
  it('answers from the tally for members it never read', () => {
    // 500 members stored; only the first two are read, and one the batch changes.
    const page = new PageMembers(
      [
        { state: 'resolved', severity: 'critical', count: 300 },
        { state: 'firing', severity: 'major', count: 199 },
        { state: 'acknowledged', severity: 'minor', count: 1 },
      ],
      [member(1, 'resolved', 'critical'), member(2, 'firing', 'major')],
      [member(400, 'acknowledged')],
    );
    expect(page.size).toBe(500);
    expect(page.status()).toBe('triggered');
    expect(page.countOf('live')).toBe(200);
    expect(page.countOf('firing')).toBe(199);
    expect(page.worstLive()).toBe('major');
    expect(page.worstOfAll()).toBe('critical');
    expect(page.lead()?.subject_id).toBe('a2');
    expect(page.get(memberKey('alert', 'a400'))?.state).toBe('acknowledged');
  });

  it('moves the tally when a known member changes, and counts a new one once', () => {
    const page = new PageMembers(
      [
        { state: 'firing', severity: 'critical', count: 1 },
        { state: 'acknowledged', severity: 'minor', count: 1 },
      ],
      [member(1, 'firing', 'critical'), member(2, 'acknowledged')],
    );
    page.set(memberKey('alert', 'a1'), member(1, 'resolved', 'critical'));
    expect(page.size).toBe(2);
    expect(page.status()).toBe('acknowledged');
    expect(page.worstLive()).toBe('minor');
    expect(page.lead()?.subject_id).toBe('a2');
    page.set(memberKey('alert', 'a3'), member(3, 'firing', 'warning'));
    page.set(memberKey('alert', 'a3'), member(3, 'firing', 'major'));
    expect(page.size).toBe(3);
    expect(page.countOf('firing')).toBe(1);
    expect(page.worstLive()).toBe('major');
    expect(page.first.map((m) => m.subject_id)).toEqual(['a1', 'a2', 'a3']);
    expect(page.first[0].state).toBe('resolved');
  });

  it(`names the first ${NAMED_MEMBERS} members only, however many join`, () => {
    const page = PageMembers.of([]);
    for (let n = 0; n < 50; n++) page.set(memberKey('alert', `a${n}`), member(n, 'firing'));
    expect(page.size).toBe(50);
    expect(page.first).toHaveLength(NAMED_MEMBERS);
    expect(page.first.at(-1)?.subject_id).toBe(`a${NAMED_MEMBERS - 1}`);
    expect(page.status()).toBe('triggered');
  });

  it('is resolved when every member is', () => {
    const page = PageMembers.of([member(1, 'resolved'), member(2, 'resolved')]);
    expect(page.status()).toBe('resolved');
    expect(page.worstLive()).toBeUndefined();
    expect(page.lead()?.subject_id).toBe('a1');
  });
});

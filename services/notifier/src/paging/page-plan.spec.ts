import { pageStatus, planPage, PageBefore } from './page-plan';

const timing = { groupWaitMs: 30_000, groupIntervalMs: 300_000 };
const now = new Date('2026-05-01T12:00:00.000Z');
const fresh: PageBefore = {
  status: undefined,
  notified: false,
  updatePending: false,
  lastNotifiedAt: undefined,
};
const notified: PageBefore = {
  status: 'triggered',
  notified: true,
  updatePending: false,
  lastNotifiedAt: new Date('2026-05-01T11:58:00.000Z'),
};

describe('page status', () => {
  it('is triggered while any member fires, then acknowledged, quiet, resolved', () => {
    expect(pageStatus(['resolved', 'firing', 'acknowledged'])).toBe('triggered');
    expect(pageStatus(['resolved', 'acknowledged', 'quiet'])).toBe('acknowledged');
    expect(pageStatus(['resolved', 'quiet'])).toBe('quiet');
    expect(pageStatus(['resolved'])).toBe('resolved');
  });
});

describe('page plan', () => {
  it('notifies a new page after group_wait', () => {
    expect(planPage(fresh, 'triggered', true, timing, now)).toEqual({
      status: 'triggered',
      newEpisode: false,
      cancel: [],
      insert: [{ kind: 'notify', delayMs: 30_000 }],
    });
  });

  it('starts a new episode when a resolved page fires again', () => {
    const plan = planPage({ ...notified, status: 'resolved' }, 'triggered', true, timing, now);
    expect(plan.newEpisode).toBe(true);
    expect(plan.insert).toEqual([{ kind: 'notify', delayMs: 30_000 }]);
  });

  it('updates those notified when a member joins, not before group_interval after the last notification', () => {
    const plan = planPage(notified, 'triggered', true, timing, now);
    expect(plan.insert).toEqual([
      { kind: 'update', delayMs: 0, notBefore: new Date('2026-05-01T12:03:00.000Z') },
    ]);
    expect(planPage({ ...notified, updatePending: true }, 'triggered', true, timing, now).insert).toEqual([]);
    // Still in group_wait: the first notification will include the newcomer.
    expect(planPage({ ...notified, notified: false }, 'triggered', true, timing, now).insert).toEqual([]);
  });

  it('stops escalating on acknowledgement and tells those notified', () => {
    expect(planPage(notified, 'acknowledged', false, timing, now)).toEqual({
      status: 'acknowledged',
      newEpisode: false,
      cancel: ['notify', 'repeat'],
      insert: [{ kind: 'acknowledged', delayMs: 0 }],
    });
  });

  it('escalates again at once when unacknowledged or no longer quiet', () => {
    for (const status of ['acknowledged', 'quiet'] as const)
      expect(planPage({ ...notified, status }, 'triggered', true, timing, now).insert).toEqual([
        { kind: 'notify', delayMs: 0 },
      ]);
  });

  it('goes quiet without a notice', () => {
    expect(planPage(notified, 'quiet', false, timing, now)).toMatchObject({
      cancel: ['notify', 'repeat'],
      insert: [],
    });
  });

  it('ends everything on resolution, telling those notified only', () => {
    expect(planPage(notified, 'resolved', false, timing, now)).toEqual({
      status: 'resolved',
      newEpisode: false,
      cancel: ['notify', 'repeat', 'update'],
      insert: [{ kind: 'resolved', delayMs: 0 }],
    });
    expect(planPage({ ...notified, notified: false }, 'resolved', false, timing, now).insert).toEqual([]);
  });
});

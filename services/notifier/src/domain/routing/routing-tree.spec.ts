import {
  RouteMatch,
  RoutingTree,
  notificationWindow,
  pageGroupOf,
  parseRoutingTree,
  routeById,
  routeFor,
  treeReferences,
} from './routing-tree';

function tree(input: unknown): RoutingTree {
  const parsed = parseRoutingTree(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.tree;
}

function errorsOf(input: unknown): { field: string; reason: string }[] {
  const parsed = parseRoutingTree(input);
  if (parsed.ok) throw new Error('expected errors');
  return parsed.errors;
}

const nights = {
  rrule: 'FREQ=DAILY;BYHOUR=22;BYMINUTE=0',
  durationMinutes: 480,
  timezone: 'Europe/Berlin',
};
const businessHours = {
  rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0',
  durationMinutes: 480,
  timezone: 'Europe/Berlin',
};

const config = {
  policy: 'default',
  groupBy: ['service'],
  groupWait: '10s',
  timeIntervals: { nights: [nights], 'business-hours': [businessHours] },
  routes: [
    {
      name: 'db',
      matchers: ['team="db"'],
      policy: 'db-oncall',
      groupBy: ['node', 'service'],
      repeatInterval: '1h',
      routes: [
        { matchers: ['severity=~"critical"'], groupWait: '0s' },
        { matchers: ['environment="staging"'], policy: 'db-office', activeTimeIntervals: ['business-hours'] },
      ],
    },
    { matchers: ['kind="incident"'], continue: true, policy: 'incident-log', groupBy: ['...'] },
    { matchers: ['team="web"'], muteTimeIntervals: ['nights'] },
    { matchers: ['team="web"'], policy: 'never-reached' },
  ],
};

const defaults = {
  groupBy: ['service'],
  groupWaitMs: 10_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 14_400_000,
  muteTimeIntervals: [],
  activeTimeIntervals: [],
};

describe('parseRoutingTree', () => {
  it('fills in Alertmanager defaults on a bare root', () => {
    const bare = tree({ policy: 'default' });
    expect(bare.root).toEqual({
      id: '{}',
      matchers: [],
      continue: false,
      policy: 'default',
      groupBy: 'all',
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 14_400_000,
      muteTimeIntervals: [],
      activeTimeIntervals: [],
      routes: [],
    });
    expect(bare.timeIntervals.size).toBe(0);
  });

  it('gives routes their name or their Alertmanager path as id', () => {
    const parsed = tree({
      policy: 'default',
      routes: [
        { matchers: ['team="db"'], routes: [{ matchers: ['severity=~"critical"'] }] },
        { matchers: ['team="db"'] },
        { matchers: ['team="db"', 'env!="dev"'], routes: [{ matchers: ['b="2"', 'a="1"'] }, {}] },
        { name: 'web', matchers: ['team="web"'], routes: [{ matchers: ['x="y"'] }] },
        { matchers: ['team="db"'] },
      ],
    });
    const ids = (route: RoutingTree['root']): unknown[] =>
      route.routes.length === 0 ? [route.id] : [route.id, route.routes.map(ids)];
    expect(ids(parsed.root)).toEqual([
      '{}',
      [
        ['{}/{team="db"}', [['{}/{team="db"}/{severity=~"critical"}']]],
        ['{}/{team="db"}#1'],
        [
          '{}/{env!="dev",team="db"}',
          [['{}/{env!="dev",team="db"}/{a="1",b="2"}'], ['{}/{env!="dev",team="db"}/{}']],
        ],
        ['web', [['{}/{team="web"}/{x="y"}']]],
        ['{}/{team="db"}#2'],
      ],
    ]);
  });

  it('names the path of every fault', () => {
    expect(
      errorsOf({
        policy: 5,
        matchers: ['team="db"'],
        continue: true,
        receiver: 'x',
        groupBy: ['service', '...'],
        groupWait: 30,
        muteTimeIntervals: ['nights'],
        timeIntervals: {
          nights: [{ rrule: 'FREQ=DAILY;BYHOUR=25', durationMinutes: 60, timezone: 'Europe/Berlin' }],
        },
        routes: [
          {
            matchers: ['team="db"', 'severity=~"(crit"'],
            policy: 'DB',
            groupBy: ['node', 'node', 'bad-name'],
            groupInterval: '0s',
            repeatInterval: 'soon',
            muteTimeIntervals: ['weekends'],
            activeTimeIntervals: 'nights',
            continue: 'yes',
            timeIntervals: {},
            routes: [{ name: 'dup' }, { name: 'dup' }, 'x'],
          },
        ],
      }),
    ).toEqual([
      { field: 'timeIntervals.nights[0].rrule', reason: expect.stringContaining('BYHOUR') },
      { field: 'receiver', reason: "unknown field: Alertmanager's receiver is policy here" },
      {
        field: 'matchers',
        reason: 'the root route takes every subject: put matchers on a route under routes',
      },
      { field: 'continue', reason: 'the root route has no siblings to continue to' },
      {
        field: 'policy',
        reason:
          'escalation policy 5 is not an id (1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit)',
      },
      { field: 'groupBy', reason: '"..." groups by every label and must be the only entry' },
      { field: 'groupWait', reason: '30 has no unit: use a string like "30s", "5m" or "1h30m"' },
      {
        field: 'muteTimeIntervals',
        reason:
          'the root route cannot have time intervals (as in Alertmanager): set them on a route under routes',
      },
      {
        field: 'routes[0].timeIntervals',
        reason:
          'unknown field (allowed: name, matchers, policy, continue, groupBy, groupWait, groupInterval, repeatInterval, muteTimeIntervals, activeTimeIntervals, routes)',
      },
      {
        field: 'routes[0].matchers[1]',
        reason: expect.stringMatching(/^"severity=~\\"\(crit\\"": bad regex "\(crit": /),
      },
      { field: 'routes[0].continue', reason: 'must be true or false' },
      {
        field: 'routes[0].policy',
        reason:
          'escalation policy "DB" is not an id (1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit)',
      },
      { field: 'routes[0].groupBy[1]', reason: 'listed twice' },
      { field: 'routes[0].groupBy[2]', reason: '"bad-name" is not a label name (letters, digits, _ and .)' },
      { field: 'routes[0].groupInterval', reason: '"0s" is out of range: must be from 1s to 1w' },
      {
        field: 'routes[0].repeatInterval',
        reason:
          '"soon" is not a duration: whole numbers with units ms, s, m, h, d, w or y, largest first ("1h30m", "90s")',
      },
      {
        field: 'routes[0].muteTimeIntervals[0]',
        reason: '"weekends" is not in timeIntervals (known: nights)',
      },
      { field: 'routes[0].activeTimeIntervals', reason: 'must be a list of names from timeIntervals' },
      { field: 'routes[0].routes[1].name', reason: '"dup" is already the name of routes[0].routes[0]' },
      { field: 'routes[0].routes[2]', reason: 'a route must be an object' },
    ]);
  });

  it('requires a policy on the root and checks time interval declarations', () => {
    expect(
      errorsOf({
        timeIntervals: { Nights: [nights], empty: [], once: [{ start: '2026-01-01T00:00:00Z' }] },
        routes: [{ muteTimeIntervals: ['empty', 'once', 'Nights'] }],
      }),
    ).toEqual([
      {
        field: 'timeIntervals.Nights',
        reason:
          'interval name "Nights" is not an id (1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit)',
      },
      { field: 'timeIntervals.empty', reason: 'must list at least one time window' },
      { field: 'timeIntervals.once[0].end', reason: 'undefined is not an RFC 3339 date-time with an offset' },
      {
        field: 'policy',
        reason: 'is required on the root route: the escalation policy for subjects no other route takes',
      },
      {
        field: 'routes[0].muteTimeIntervals[2]',
        reason: '"Nights" is not in timeIntervals (known: empty, once)',
      },
    ]);
  });

  it('refuses a name given to two routes, the root included', () => {
    expect(errorsOf({ policy: 'p', name: 'top', routes: [{ routes: [{ name: 'top' }] }] })).toEqual([
      { field: 'routes[0].routes[0].name', reason: '"top" is already the name of the root route' },
    ]);
  });

  it('bounds depth and size', () => {
    let deep: Record<string, unknown> = { matchers: ['a="1"'] };
    for (let level = 0; level < 10; level++) deep = { routes: [deep] };
    expect(parseRoutingTree({ policy: 'p', ...deep }).ok).toBe(true);
    expect(errorsOf({ policy: 'p', routes: [deep] })).toEqual([
      {
        field:
          'routes[0].routes[0].routes[0].routes[0].routes[0].routes[0].routes[0].routes[0].routes[0].routes[0].routes',
        reason: 'routes nest at most 10 levels below the root',
      },
    ]);
    const many = Array.from({ length: 499 }, (_, i) => ({ matchers: [`n="${i}"`] }));
    expect(parseRoutingTree({ policy: 'p', routes: many }).ok).toBe(true);
    expect(errorsOf({ policy: 'p', routes: [...many, {}] })).toEqual([
      { field: 'routes[499]', reason: 'a tree has at most 500 routes' },
    ]);
  });
});

describe('treeReferences', () => {
  it('lists every policy named, once, sorted', () => {
    expect(treeReferences(tree(config))).toEqual({
      policies: ['db-office', 'db-oncall', 'default', 'incident-log', 'never-reached'],
    });
  });
});

describe('routeFor', () => {
  const routes = tree(config);

  it('goes down to the deepest matching route, inheriting policy, groupBy and timings', () => {
    expect(routeFor(routes, { team: 'db', severity: 'critical', kind: 'alert' })).toEqual<RouteMatch[]>([
      {
        routeId: '{}/{team="db"}/{severity=~"critical"}',
        policyId: 'db-oncall',
        groupBy: ['node', 'service'],
        groupWaitMs: 0,
        groupIntervalMs: 300_000,
        repeatIntervalMs: 3_600_000,
        muteTimeIntervals: [],
        activeTimeIntervals: [],
      },
    ]);
  });

  it('falls back to the parent when none of its children match', () => {
    expect(routeFor(routes, { team: 'db', severity: 'minor' })).toEqual([
      {
        ...defaults,
        routeId: 'db',
        policyId: 'db-oncall',
        groupBy: ['node', 'service'],
        repeatIntervalMs: 3_600_000,
      },
    ]);
  });

  it('does not pass time intervals down', () => {
    expect(routeFor(routes, { team: 'db', environment: 'staging' })).toEqual([
      {
        ...defaults,
        routeId: '{}/{team="db"}/{environment="staging"}',
        policyId: 'db-office',
        groupBy: ['node', 'service'],
        repeatIntervalMs: 3_600_000,
        activeTimeIntervals: ['business-hours'],
      },
    ]);
  });

  it('goes on past a matching route with continue, and stops at the first without', () => {
    expect(routeFor(routes, { kind: 'incident', team: 'web' })).toEqual([
      { ...defaults, routeId: '{}/{kind="incident"}', policyId: 'incident-log', groupBy: 'all' },
      { ...defaults, routeId: '{}/{team="web"}', policyId: 'default', muteTimeIntervals: ['nights'] },
    ]);
  });

  it('gives a subject that matches only a continue route to that route alone', () => {
    expect(routeFor(routes, { kind: 'incident', team: 'search' }).map((m) => m.routeId)).toEqual([
      '{}/{kind="incident"}',
    ]);
  });

  it('lets the root take what no route matches', () => {
    expect(routeFor(routes, { team: 'search' })).toEqual([
      { ...defaults, routeId: '{}', policyId: 'default' },
    ]);
  });

  it('finds a route by id', () => {
    expect(routeById(routes, 'db')?.policyId).toBe('db-oncall');
    expect(routeById(routes, '{}/{team="db"}/{severity=~"critical"}')?.groupWaitMs).toBe(0);
    expect(routeById(routes, '{}/{team="db"}')).toBeUndefined();
  });
});

describe('pageGroupOf', () => {
  it('groups by the route’s labels, in a stable order, a missing one as ""', () => {
    const match = { groupBy: ['service', 'node'] };
    const a = pageGroupOf(match, { node: 'db1', service: 'pg', team: 'db' }, 'alert:1');
    expect(a).toEqual({ key: 'node="db1",service="pg"', labels: { node: 'db1', service: 'pg' } });
    expect(pageGroupOf({ groupBy: ['node', 'service'] }, { service: 'pg', node: 'db1' }, 'alert:2')).toEqual(
      a,
    );
    expect(pageGroupOf(match, { service: 'pg' }, 'alert:3')).toEqual({
      key: 'node="",service="pg"',
      labels: { node: '', service: 'pg' },
    });
  });

  it('makes every subject its own page under "..."', () => {
    expect(pageGroupOf({ groupBy: 'all' }, { node: 'db1' }, 'incident:42')).toEqual({
      key: 'incident:42',
      labels: {},
    });
  });

  it('puts every subject in one page when groupBy is empty', () => {
    expect(pageGroupOf({ groupBy: [] }, { node: 'db1' }, 'alert:1')).toEqual({ key: '', labels: {} });
  });
});

describe('notificationWindow', () => {
  const routes = tree(config);
  const web = routeFor(routes, { team: 'web' })[0];
  const staging = routeFor(routes, { team: 'db', environment: 'staging' })[0];
  const check = (match: RouteMatch, at: string) => {
    const found = notificationWindow(routes, match, new Date(at));
    return found.allowed ? found : { ...found, until: found.until?.toISOString() };
  };

  it('mutes through the night, ending at 06:00 local on either side of a DST change', () => {
    // Spring forward 2026-03-29 02:00 CET → 03:00 CEST: 22:00 CET to 06:00 CEST is 7 hours.
    expect(check(web, '2026-03-29T01:30:00Z')).toEqual({
      allowed: false,
      reason: 'muted',
      interval: 'nights',
      until: '2026-03-29T04:00:00.000Z',
    });
    expect(check(web, '2026-03-28T04:59:00Z')).toEqual({
      allowed: false,
      reason: 'muted',
      interval: 'nights',
      until: '2026-03-28T05:00:00.000Z',
    });
    // 22:00 CET on the Saturday is 21:00Z: a minute before, sending is allowed.
    expect(check(web, '2026-03-28T20:59:00Z')).toEqual({ allowed: true });
    expect(check(web, '2026-03-28T21:00:00Z')).toMatchObject({ until: '2026-03-29T04:00:00.000Z' });
    expect(check(web, '2026-03-29T04:00:00Z')).toEqual({ allowed: true });
    // Fall back 2026-10-25 03:00 CEST → 02:00 CET: 22:00 CEST to 06:00 CET is 9 hours.
    expect(check(web, '2026-10-24T20:00:00Z')).toMatchObject({ until: '2026-10-25T05:00:00.000Z' });
  });

  it('follows one mute window into another that starts where it ends', () => {
    const chained = tree({
      policy: 'p',
      timeIntervals: {
        nights: [nights],
        mornings: [
          { rrule: 'FREQ=DAILY;BYHOUR=6;BYMINUTE=0', durationMinutes: 120, timezone: 'Europe/Berlin' },
        ],
      },
      routes: [{ muteTimeIntervals: ['nights', 'mornings'] }],
    });
    const [match] = routeFor(chained, {});
    expect(notificationWindow(chained, match, new Date('2026-03-29T01:30:00Z'))).toEqual({
      allowed: false,
      reason: 'muted',
      interval: 'nights',
      until: new Date('2026-03-29T06:00:00Z'),
    });
  });

  it('holds a route with active intervals back until business hours open', () => {
    // Saturday before the spring change: Monday 09:00 CEST is 07:00Z.
    expect(check(staging, '2026-03-28T12:00:00Z')).toEqual({
      allowed: false,
      reason: 'inactive',
      interval: 'business-hours',
      until: '2026-03-30T07:00:00.000Z',
    });
    // Friday 20:00 CET: Monday 09:00 is still CET before the change a week earlier.
    expect(check(staging, '2026-03-20T19:00:00Z')).toMatchObject({ until: '2026-03-23T08:00:00.000Z' });
    expect(check(staging, '2026-03-30T07:00:00Z')).toEqual({ allowed: true });
    expect(check(staging, '2026-03-30T14:59:00Z')).toEqual({ allowed: true });
    expect(check(staging, '2026-03-30T15:00:00Z')).toMatchObject({ until: '2026-03-31T07:00:00.000Z' });
  });

  it('says when an active interval never opens again', () => {
    const past = tree({
      policy: 'p',
      timeIntervals: { launch: [{ start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z' }] },
      routes: [{ activeTimeIntervals: ['launch'] }],
    });
    const [match] = routeFor(past, {});
    expect(notificationWindow(past, match, new Date('2026-02-01T00:00:00Z'))).toEqual({
      allowed: false,
      reason: 'inactive',
      interval: 'launch',
      until: undefined,
    });
    expect(notificationWindow(past, match, new Date('2026-01-01T12:00:00Z'))).toEqual({ allowed: true });
  });

  it('allows a route with no intervals at any time', () => {
    expect(check(routeFor(routes, {})[0], '2026-03-29T01:30:00Z')).toEqual({ allowed: true });
  });
});

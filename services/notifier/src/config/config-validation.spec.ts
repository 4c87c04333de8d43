import { ChannelRegistry } from '../channels/registry';
import { buildSnapshot, DEFAULT_RATE_LIMITS, ParsedObject } from './config-snapshot';
import {
  checkWrite,
  parseChannel,
  parseNotifierObject,
  parseUser,
  referenceProblems,
} from './config-validation';

const registry = new ChannelRegistry();
const parse = registry.parseConfig;
afterAll(() => registry.onApplicationShutdown());

const WEBHOOK = { url: 'https://hooks.example.org/vigil', secret: 'a-secret-of-16-chars' };
const SMTP = { host: 'smtp.example.org', from: 'vigil@example.org', to: ['ops@example.org'] };

function parsed(kind: ParsedObject['kind'], id: string, body: unknown): ParsedObject {
  const result = parseNotifierObject(kind, id, body, parse);
  if (!result.ok) throw new Error(`${kind} ${id}: ${JSON.stringify(result.errors)}`);
  return result.value;
}

const fields = (result: { ok: boolean; errors?: { field: string }[] }) =>
  result.ok ? [] : (result.errors ?? []).map((e) => e.field);

describe('user bodies', () => {
  it('parses contact methods, each config by its adapter', () => {
    const result = parseUser(
      {
        name: 'Alice Example',
        timeZone: 'Europe/Berlin',
        contactMethods: [
          { id: 'work-email', type: 'email', address: 'alice@example.org', channel: 'smtp' },
          { id: 'phone-hook', type: 'webhook', config: WEBHOOK },
        ],
      },
      parse,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.contactMethods[0]).toEqual({
      id: 'work-email',
      type: 'email',
      address: 'alice@example.org',
      channel: 'smtp',
    });
    // The adapter filled in its defaults: what a sender gets is ready to use.
    expect(result.value.contactMethods[1]).toMatchObject({
      type: 'webhook',
      config: { url: WEBHOOK.url, timeoutMs: 5000 },
    });
  });

  it('names every bad field, adapter errors under their contact method', () => {
    const result = parseUser(
      {
        name: '',
        timeZone: 'Mars/Olympus',
        nickname: 'al',
        contactMethods: [
          { id: 'a', type: 'email', address: 'not-an-address' },
          { id: 'b', type: 'webhook', config: { url: 'ftp://x', secret: 'a-secret-of-16-chars' } },
          { id: 'a', type: 'email', address: 'al@example.org' },
          { id: 'c', type: 'fax' },
          { id: 'd', type: 'slack' },
          { id: 'Bad Id', type: 'email', address: 'x@example.org', channel: 'Mail!' },
        ],
      },
      parse,
    );
    expect(fields(result)).toEqual([
      'nickname',
      'name',
      'timeZone',
      'contactMethods[0].address',
      'contactMethods[1].config.url',
      'contactMethods[2].id',
      'contactMethods[3].type',
      'contactMethods[4].config',
      'contactMethods[5].id',
      'contactMethods[5].channel',
    ]);
  });

  it('takes a user without contact methods or time zone', () => {
    expect(parseUser({ name: 'Bob' }, parse)).toEqual({
      ok: true,
      value: { name: 'Bob', contactMethods: [] },
    });
  });
});

describe('channel bodies', () => {
  it('parses the config with its adapter and defaults the rate limit', () => {
    const result = parseChannel({ type: 'webhook', config: WEBHOOK }, parse);
    expect(result).toMatchObject({ ok: true, value: { type: 'webhook', rateLimitPerMinute: null } });
    expect(
      parseChannel({ type: 'email', config: SMTP, rateLimit: { perMinute: 6000 } }, parse),
    ).toMatchObject({
      ok: true,
      value: { type: 'email', config: { port: 587, tls: 'starttls' }, rateLimitPerMinute: 6000 },
    });
  });

  it("defaults each kind's rate limit to its receiver's: Slack one a second, a plain webhook none", () => {
    expect(
      parseChannel({ type: 'slack', config: { url: 'https://hooks.slack.com/services/T/B/x' } }, parse),
    ).toMatchObject({ ok: true, value: { type: 'slack', rateLimitPerMinute: 60 } });
    expect(DEFAULT_RATE_LIMITS).toEqual({ webhook: null, slack: 60, teams: 60, email: 60, pagerduty: 120 });
  });

  it('names the field of each fault', () => {
    expect(
      fields(parseChannel({ type: 'webhook', config: { url: 'nope', secret: 'short' } }, parse)),
    ).toEqual(['config.url', 'config.secret']);
    expect(
      fields(parseChannel({ type: 'carrier-pigeon', config: {}, rateLimit: { perMinute: 0 } }, parse)),
    ).toEqual(['type', 'rateLimit.perMinute']);
    expect(fields(parseChannel({ type: 'slack', rateLimit: { perMinute: 6001, burst: 2 } }, parse))).toEqual([
      'config',
      'rateLimit.burst',
      'rateLimit.perMinute',
    ]);
    expect(
      fields(parseChannel({ type: 'slack', config: { url: 'https://hooks.slack.com/x', colour: 1 } }, parse)),
    ).toEqual(['config.colour']);
  });
});

describe('schedules, policies and the routing tree', () => {
  it('are parsed by the rules library, with its field names', () => {
    const schedule = parseNotifierObject(
      'schedule',
      's',
      { name: 'x', timeZone: 'Nowhere/Land', layers: [] },
      parse,
    );
    expect(fields(schedule)).toEqual(expect.arrayContaining(['timeZone', 'layers']));
    const policy = parseNotifierObject(
      'escalation_policy',
      'p',
      { name: 'db', levels: [{ delay: 'soon', targets: [{ type: 'user', id: 'alice' }] }] },
      parse,
    );
    expect(fields(policy)).toEqual(['levels[0].delay']);
    const tree = parseNotifierObject('routing_tree', 'default', { policy: 'db', groupWait: 'never' }, parse);
    expect(fields(tree)).toEqual(['groupWait']);
  });

  it('knows one routing tree, "default"', () => {
    expect(fields(parseNotifierObject('routing_tree', 'other', { policy: 'db' }, parse))).toEqual(['id']);
    expect(parseNotifierObject('routing_tree', 'default', { policy: 'db' }, parse).ok).toBe(true);
  });
});

describe('references', () => {
  const alice = parsed('user', 'alice', {
    name: 'Alice',
    contactMethods: [{ id: 'mail', type: 'email', address: 'alice@example.org' }],
  });
  const smtp = parsed('channel', 'smtp', { type: 'email', config: SMTP });
  const hook = parsed('channel', 'hook', { type: 'webhook', config: WEBHOOK });
  const primary = parsed('schedule', 'primary', {
    name: 'primary',
    timeZone: 'UTC',
    layers: [{ start: '2026-01-05T09:00', rotation: { type: 'weekly' }, users: ['alice', 'bob'] }],
    overrides: [{ user: 'carol', start: '2026-01-06T00:00:00Z', end: '2026-01-07T00:00:00Z' }],
  });
  const policy = parsed('escalation_policy', 'db', {
    name: 'db',
    levels: [
      {
        delay: '5m',
        targets: [
          { type: 'schedule', id: 'primary' },
          { type: 'schedule', id: 'x' },
        ],
      },
      {
        delay: '5m',
        targets: [
          { type: 'user', id: 'alice' },
          { type: 'channel', id: 'hook' },
        ],
      },
    ],
  });
  const tree = parsed('routing_tree', 'default', {
    policy: 'db',
    routes: [{ matchers: ['team="db"'], routes: [{ matchers: ['severity="critical"'], policy: 'nope' }] }],
  });

  it('names each dangling reference by its field', () => {
    const config = buildSnapshot(1, [alice, smtp, hook, primary, policy, tree]);
    expect(referenceProblems(primary, config)).toEqual([
      { field: 'layers[0].users[1]', reason: 'no user "bob"' },
      { field: 'overrides[0].user', reason: 'no user "carol"' },
    ]);
    expect(referenceProblems(policy, config)).toEqual([
      { field: 'levels[0].targets[1].id', reason: 'no schedule "x"' },
    ]);
    expect(referenceProblems(tree, config)).toEqual([
      { field: 'routes[0].routes[0].policy', reason: 'no escalation policy "nope"' },
    ]);
    expect(referenceProblems(alice, config)).toEqual([]);
  });

  it("checks a user's email channel: named, of type email, or the only one", () => {
    const named = parsed('user', 'dan', {
      name: 'Dan',
      contactMethods: [
        { id: 'a', type: 'email', address: 'dan@example.org', channel: 'hook' },
        { id: 'b', type: 'email', address: 'dan@example.org', channel: 'gone' },
      ],
    });
    expect(referenceProblems(named, buildSnapshot(1, [smtp, hook]))).toEqual([
      {
        field: 'contactMethods[0].channel',
        reason: 'channel "hook" is a webhook channel, not an email channel',
      },
      { field: 'contactMethods[1].channel', reason: 'no channel "gone"' },
    ]);
    expect(referenceProblems(alice, buildSnapshot(1, [hook]))).toEqual([
      {
        field: 'contactMethods[0].channel',
        reason: 'is required: there is no email channel to send through',
      },
    ]);
  });

  it('refuses a write that leaves another object pointing at nothing, but not old problems', () => {
    const before = buildSnapshot(1, [alice, smtp, hook, primary, policy]);
    // Deleting the only email channel breaks alice's contact method.
    const deleteSmtp = checkWrite(before, 'channel', 'smtp');
    expect(deleteSmtp.broken).toEqual([
      {
        kind: 'user',
        id: 'alice',
        problems: [
          {
            field: 'contactMethods[0].channel',
            reason: 'is required: there is no email channel to send through',
          },
        ],
      },
    ]);
    // A second email channel makes alice's default ambiguous.
    const second = parsed('channel', 'smtp2', { type: 'email', config: SMTP });
    expect(checkWrite(before, 'channel', 'smtp2', second).broken.map((b) => b.id)).toEqual(['alice']);
    // The policy already named the unknown schedule "x": deleting the hook is what counts.
    const deleteHook = checkWrite(before, 'channel', 'hook');
    expect(deleteHook.broken).toEqual([
      {
        kind: 'escalation_policy',
        id: 'db',
        problems: [{ field: 'levels[1].targets[1].id', reason: 'no channel "hook"' }],
      },
    ]);
    // The written object's own references are checked against the configuration after the write.
    expect(checkWrite(before, 'escalation_policy', 'db', policy).invalid).toEqual([
      { field: 'levels[0].targets[1].id', reason: 'no schedule "x"' },
    ]);
    expect(checkWrite(before, 'channel', 'hook', hook)).toMatchObject({ invalid: [], broken: [] });
  });
});

import {
  EscalationPolicy,
  firstEscalation,
  nextEscalation,
  parseEscalationPolicy,
  policyReferences,
} from './escalation-policy';

function policy(input: unknown): EscalationPolicy {
  const parsed = parseEscalationPolicy(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.policy;
}

function errorsOf(input: unknown): { field: string; reason: string }[] {
  const parsed = parseEscalationPolicy(input);
  if (parsed.ok) throw new Error('expected errors');
  return parsed.errors;
}

const dbOnCall = {
  name: 'DB on-call',
  description: 'Primary, then the team lead, then everyone',
  levels: [
    {
      delay: '5m',
      targets: [
        { type: 'schedule', id: 'db-primary' },
        { type: 'channel', id: 'db-slack' },
      ],
    },
    { delay: '1h30m', targets: [{ type: 'user', id: 'alice' }] },
    {
      delay: '30m',
      targets: [
        { type: 'user', id: 'bob' },
        { type: 'user', id: 'alice' },
        { type: 'schedule', id: 'db-primary' },
      ],
    },
  ],
  repeat: 2,
};

describe('parseEscalationPolicy', () => {
  it('reads a policy, delays in milliseconds', () => {
    expect(policy(dbOnCall)).toEqual({
      name: 'DB on-call',
      description: 'Primary, then the team lead, then everyone',
      levels: [
        {
          delayMs: 300_000,
          targets: [
            { type: 'schedule', id: 'db-primary' },
            { type: 'channel', id: 'db-slack' },
          ],
        },
        { delayMs: 5_400_000, targets: [{ type: 'user', id: 'alice' }] },
        {
          delayMs: 1_800_000,
          targets: [
            { type: 'user', id: 'bob' },
            { type: 'user', id: 'alice' },
            { type: 'schedule', id: 'db-primary' },
          ],
        },
      ],
      repeat: 2,
    });
  });

  it('defaults repeat to 0 and leaves out a missing description', () => {
    expect(policy({ name: 'x', levels: [{ delay: '1s', targets: [{ type: 'user', id: 'a' }] }] })).toEqual({
      name: 'x',
      levels: [{ delayMs: 1000, targets: [{ type: 'user', id: 'a' }] }],
      repeat: 0,
    });
  });

  it('names the path of every fault', () => {
    expect(
      errorsOf({
        name: '',
        owner: 'me',
        levels: [
          { delay: '5m', targets: [{ type: 'user', id: 'alice' }] },
          {
            delay: 300,
            escalate: true,
            targets: [
              { type: 'team', id: 'db' },
              { type: 'user', id: 'Alice' },
              { type: 'user', id: 'bob', notify: 'sms' },
              'carol',
            ],
          },
          { delay: '500ms', targets: [] },
          { targets: [{ type: 'user', id: 'x' }] },
        ],
        repeat: 10,
      }),
    ).toEqual([
      { field: 'owner', reason: 'unknown field (allowed: name, description, levels, repeat)' },
      { field: 'name', reason: 'must be a non-empty string' },
      { field: 'levels[1].escalate', reason: 'unknown field (allowed: delay, targets)' },
      { field: 'levels[1].delay', reason: '300 has no unit: use a string like "30s", "5m" or "1h30m"' },
      { field: 'levels[1].targets[0].type', reason: '"team" is not one of user, schedule, channel' },
      {
        field: 'levels[1].targets[1].id',
        reason:
          '"Alice" is not an id (1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit)',
      },
      { field: 'levels[1].targets[2].notify', reason: 'unknown field (allowed: type, id)' },
      { field: 'levels[1].targets[3]', reason: 'must be an object {type, id}' },
      { field: 'levels[2].delay', reason: '"500ms" is out of range: must be from 1s to 1w' },
      { field: 'levels[2].targets', reason: 'must list at least one target {type, id}' },
      { field: 'levels[3].delay', reason: 'is required: a duration like "5m"' },
      { field: 'repeat', reason: '10 is not a whole number from 0 to 9' },
    ]);
  });

  it('refuses the same target twice in one level, but not in different levels', () => {
    expect(
      errorsOf({
        name: 'x',
        levels: [
          {
            delay: '5m',
            targets: [
              { type: 'user', id: 'alice' },
              { type: 'schedule', id: 'alice' },
              { type: 'user', id: 'alice' },
            ],
          },
          { delay: '5m', targets: [{ type: 'user', id: 'alice' }] },
        ],
      }),
    ).toEqual([{ field: 'levels[0].targets[2]', reason: 'user "alice" is already a target of this level' }]);
  });

  it('bounds levels, targets and delays', () => {
    const level = { delay: '1m', targets: [{ type: 'user', id: 'a' }] };
    expect(errorsOf({ name: 'x', levels: Array.from({ length: 11 }, () => level) })).toEqual([
      { field: 'levels', reason: 'has 11 levels; at most 10' },
    ]);
    const targets = Array.from({ length: 21 }, (_, i) => ({ type: 'user', id: `u${i}` }));
    expect(errorsOf({ name: 'x', levels: [{ delay: '1m', targets }] })).toEqual([
      { field: 'levels[0].targets', reason: 'has 21 targets; at most 20' },
    ]);
    expect(errorsOf({ name: 'x', levels: [] })).toEqual([
      { field: 'levels', reason: 'must list at least one level {delay, targets}' },
    ]);
    expect(policy({ name: 'x', levels: [{ ...level, delay: '7d' }] }).levels[0].delayMs).toBe(604_800_000);
    expect(errorsOf({ name: 'x', levels: [{ ...level, delay: '7d1s' }] })).toEqual([
      { field: 'levels[0].delay', reason: '"7d1s" is out of range: must be from 1s to 1w' },
    ]);
    expect(errorsOf(['x'])).toEqual([{ field: '', reason: 'an escalation policy must be an object' }]);
  });
});

describe('policyReferences', () => {
  it('lists each referenced id once, sorted, by type', () => {
    expect(policyReferences(policy(dbOnCall))).toEqual({
      users: ['alice', 'bob'],
      schedules: ['db-primary'],
      channels: ['db-slack'],
    });
  });
});

describe('escalation steps', () => {
  const threeLevels = policy(dbOnCall);

  it('walks every level of every round, each step due after the previous level’s delay', () => {
    const steps: { round: number; level: number; delayMs: number }[] = [];
    let current: { round: number; level: number } | undefined = firstEscalation();
    expect(current).toEqual({ round: 0, level: 0 });
    while (current) {
      const next = nextEscalation(threeLevels, current);
      if (next) steps.push(next);
      current = next;
    }
    expect(steps).toEqual([
      { round: 0, level: 1, delayMs: 300_000 },
      { round: 0, level: 2, delayMs: 5_400_000 },
      { round: 1, level: 0, delayMs: 1_800_000 },
      { round: 1, level: 1, delayMs: 300_000 },
      { round: 1, level: 2, delayMs: 5_400_000 },
      { round: 2, level: 0, delayMs: 1_800_000 },
      { round: 2, level: 1, delayMs: 300_000 },
      { round: 2, level: 2, delayMs: 5_400_000 },
    ]);
  });

  it('is exhausted after the last level when there is no repeat', () => {
    const once = policy({ name: 'x', levels: [{ delay: '10m', targets: [{ type: 'user', id: 'a' }] }] });
    expect(nextEscalation(once, firstEscalation())).toBeUndefined();
    const looping = { ...once, repeat: 1 };
    expect(nextEscalation(looping, { round: 0, level: 0 })).toEqual({ round: 1, level: 0, delayMs: 600_000 });
    expect(nextEscalation(looping, { round: 1, level: 0 })).toBeUndefined();
  });

  it('has no step after one that is not in the policy', () => {
    expect(nextEscalation(threeLevels, { round: 0, level: 3 })).toBeUndefined();
    expect(nextEscalation(threeLevels, { round: 3, level: 0 })).toBeUndefined();
    expect(nextEscalation(threeLevels, { round: -1, level: 0 })).toBeUndefined();
  });
});

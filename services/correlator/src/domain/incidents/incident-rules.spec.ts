import { firstMatchingRule, groupOf, parseIncidentRule, storedRule } from './incident-rules';

const RULE_ID = '7a0b3c1e-2f4d-4e5a-9b6c-1d2e3f4a5b6c';

function rule(input: Record<string, unknown>) {
  const parsed = parseIncidentRule(input, RULE_ID);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rule;
}

describe('correlation rules', () => {
  it('fill in defaults: threshold 1, resolve when all members resolve, enabled', () => {
    const parsed = rule({
      name: 'by cluster',
      matchers: [],
      groupBy: ['labels.cluster'],
      windowSeconds: 300,
    });
    expect(parsed).toMatchObject({ threshold: 1, resolvePolicy: 'all', enabled: true });
    expect(storedRule(RULE_ID, parsed, [])).toEqual({
      id: RULE_ID,
      name: 'by cluster',
      matchers: [],
      groupBy: ['labels.cluster'],
      windowSeconds: 300,
      threshold: 1,
      resolvePolicy: 'all',
      enabled: true,
    });
  });

  it('name the field of every fault', () => {
    const parsed = parseIncidentRule(
      {
        name: '',
        matchers: ['service="db"', 'nonsense'],
        groupBy: ['node', 'node', '9x'],
        topology: { parentField: 'node', childField: 'node', extra: 1 },
        windowSeconds: 0,
        threshold: 2.5,
        resolvePolicy: 'sometimes',
        enabled: 'yes',
        colour: 'red',
      },
      RULE_ID,
    );
    expect(parsed.ok).toBe(false);
    const fields = parsed.ok ? [] : parsed.errors.map((e) => e.field);
    expect(fields.sort()).toEqual(
      [
        'colour',
        'enabled',
        'groupBy[1]',
        'groupBy[2]',
        'matchers[1]',
        'name',
        'resolvePolicy',
        'threshold',
        'topology.childField',
        'topology.extra',
        'windowSeconds',
      ].sort(),
    );
  });

  it('group by label keys: equal values share a group, a missing value groups nothing', () => {
    const byCluster = rule({
      name: 'c',
      matchers: ['category="os"'],
      groupBy: ['labels.cluster', 'environment'],
      windowSeconds: 60,
    });
    const a = groupOf(byCluster, {
      category: 'os',
      'labels.cluster': 'eu-1',
      environment: 'prod',
      node: 'a',
    });
    const b = groupOf(byCluster, {
      category: 'os',
      'labels.cluster': 'eu-1',
      environment: 'prod',
      node: 'b',
    });
    const c = groupOf(byCluster, { category: 'os', 'labels.cluster': 'eu-2', environment: 'prod' });
    expect(a).toEqual({
      key: 'labels.cluster="eu-1",environment="prod"',
      labels: { 'labels.cluster': 'eu-1', environment: 'prod' },
    });
    expect(b?.key).toBe(a?.key);
    expect(c?.key).not.toBe(a?.key);
    expect(groupOf(byCluster, { category: 'os', environment: 'prod' })).toBeUndefined();
    expect(
      groupOf(byCluster, { category: 'network', 'labels.cluster': 'eu-1', environment: 'prod' }),
    ).toBeUndefined();
  });

  it('group by topology: a host alert and the alerts of the services on it share a group', () => {
    const topology = rule({
      name: 'host cascade',
      matchers: [],
      groupBy: [],
      topology: { parentField: 'node', childField: 'labels.host' },
      windowSeconds: 600,
    });
    const host = groupOf(topology, { node: 'db-1', type: 'HostDown' });
    const service = groupOf(topology, {
      node: 'postgres-primary',
      'labels.host': 'db-1',
      type: 'ServiceDown',
    });
    const elsewhere = groupOf(topology, { node: 'api-7', 'labels.host': 'web-3' });
    expect(host).toEqual({ key: 'node="db-1"', labels: { node: 'db-1' } });
    expect(service?.key).toBe(host?.key);
    expect(elsewhere?.key).toBe('node="web-3"');
  });

  it('refuse grouping by the topology parent twice', () => {
    const parsed = parseIncidentRule(
      {
        name: 'x',
        matchers: [],
        groupBy: ['node'],
        topology: { parentField: 'node', childField: 'labels.host' },
        windowSeconds: 1,
      },
      RULE_ID,
    );
    expect(parsed).toMatchObject({ ok: false, errors: [{ field: 'topology.parentField' }] });
  });

  it('the first enabled rule that takes an alert decides its group', () => {
    const disabled = {
      ...rule({ name: 'off', matchers: [], groupBy: ['node'], windowSeconds: 1 }),
      enabled: false,
    };
    const network = rule({
      name: 'net',
      matchers: ['category="network"'],
      groupBy: ['labels.site'],
      windowSeconds: 1,
    });
    const rest = rule({ name: 'rest', matchers: [], groupBy: ['service'], windowSeconds: 1 });
    const rules = [disabled, network, rest];
    expect(
      firstMatchingRule(rules, { category: 'network', 'labels.site': 'par', service: 'x' })?.rule.name,
    ).toBe('net');
    expect(firstMatchingRule(rules, { category: 'os', service: 'x' })?.rule.name).toBe('rest');
    expect(firstMatchingRule(rules, { category: 'os' })).toBeUndefined();
  });
});

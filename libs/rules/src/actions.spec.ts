import { LIMITS } from '@vigil/contracts';
import { classifyYaml, explainYaml, globalsOnly } from './spec-support';

/** Classifies the default event with one global rule that always matches and runs `actions`. */
function act(actions: string, event: Parameters<typeof classifyYaml>[1] = {}) {
  return classifyYaml(globalsOnly(`- name: act\n  all: true\n  ${actions.replace(/\n/g, '\n  ')}`), event);
}

describe('actions', () => {
  describe('set', () => {
    it('sets fields from templates of fields, labels, attributes and captures', () => {
      const { event } = classifyYaml(
        globalsOnly(
          [
            '- name: set',
            '  match: { summary: "/disk (\\\\S+) is (\\\\d+)%/" }',
            '  set:',
            '    summary: "{node} {labels.env} {attributes.dc}: {match.1} at {match.2}%"',
            '    labels.mount: "{match.1}"',
            '    attributes.disk.percent: "{match.2}"',
          ].join('\n'),
        ),
        { attributes: { dc: 'lon1' } },
      );
      expect(event.summary).toBe('web-01.example.com prod lon1: /var at 95%');
      expect(event.labels).toEqual({ env: 'prod', mount: '/var' });
      expect(event.attributes).toEqual({ dc: 'lon1', disk: { percent: '95' } });
    });

    it('renders an absent placeholder as empty text', () => {
      const { event } = act(
        'set: { summary: "[{labels.missing}|{attributes.nothing}|{match.3}|{service}]" }',
      );
      expect(event.summary).toBe('[|||]');
    });

    it('writes literal braces doubled', () => {
      expect(act('set: { summary: "{{node}} is {node}" }').event.summary).toBe(
        '{node} is web-01.example.com',
      );
    });

    it('takes severity by name, alias or Panther number; a templated bad value keeps the old one', () => {
      expect(act('set: { severity: 5 }').event.severity).toBe('critical');
      expect(act('set: { severity: warn }').event.severity).toBe('warning');
      const explained = explainYaml(
        globalsOnly('- name: s\n  all: true\n  set: { severity: "{labels.env}" }'),
      );
      expect(explained.event.severity).toBe('major');
      expect(explained.trace[0]).toMatchObject({ notes: ['severity: "prod" is not a severity; kept major'] });
      expect(act('set: { severity: "{labels.sev}" }', { labels: { sev: '1' } }).event.severity).toBe(
        'indeterminate',
      );
    });

    it('keeps required fields when a template renders empty, and removes optional ones', () => {
      const { event } = act(
        'set: { node: "{labels.none}", type: "{labels.none}", service: "{labels.none}" }',
        {
          service: 'checkout',
        },
      );
      expect(event.node).toBe('web-01.example.com');
      expect(event.type).toBe('DiskFull');
      expect(event).not.toHaveProperty('service');
    });

    it('clips values to the contract limits', () => {
      const long = 'x'.repeat(2000);
      const { event } = act(
        'set: { summary: "{labels.long}", team: "{labels.long}", labels.copy: "{labels.long}" }',
        {
          labels: { long },
        },
      );
      expect(event.summary).toHaveLength(LIMITS.summaryLength);
      expect(event.team).toHaveLength(LIMITS.contextLength);
      expect(event.labels.copy).toHaveLength(LIMITS.labelValueLength);
    });
  });

  describe('replace', () => {
    it('replaces the first occurrence of a literal, and what a regex says (g for all)', () => {
      expect(act('replace: { field: summary, this: "s", with: "S" }').event.summary).toBe(
        'diSk /var is 95% full',
      );
      expect(act('replace: { field: summary, this: "/s/g", with: "S" }').event.summary).toBe(
        'diSk /var iS 95% full',
      );
      expect(act('replace: { field: summary, this: "/(\\\\d+)%/", with: "$1 percent" }').event.summary).toBe(
        'disk /var is 95 percent full',
      );
    });

    it('runs a list in order, and leaves an absent field absent', () => {
      const { event } = act(
        'replace:\n  - { field: summary, this: disk, with: volume }\n  - { field: summary, this: volume, with: vol }\n  - { field: service, this: a, with: b }',
      );
      expect(event.summary).toBe('vol /var is 95% full');
      expect(event).not.toHaveProperty('service');
    });
  });

  it('severity, category, priority, impact, owner, team, service and environment set their fields', () => {
    const { event } = act(
      'severity: critical\ncategory: security\nimpact: high\nowner: "ops-{labels.env}"\nteam: infra\nservice: web\nenvironment: "{labels.env}"',
    );
    expect(event).toMatchObject({
      severity: 'critical',
      category: 'security',
      impact: 'high',
      priority: 'P1',
      owner: 'ops-prod',
      team: 'infra',
      service: 'web',
      environment: 'prod',
    });
    expect(act('severity: critical\nimpact: high\npriority: P4').event.priority).toBe('P4');
  });

  it('computes priority from the final severity × impact unless a rule chose one', () => {
    expect(act('impact: low').event.priority).toBe('P4');
    expect(act('severity: warning').event.priority).toBe('P5');
  });

  it('add_labels and remove_labels edit labels; the label count is capped', () => {
    expect(act('add_labels: { tier: "gold", node_copy: "{node}" }').event.labels).toEqual({
      env: 'prod',
      tier: 'gold',
      node_copy: 'web-01.example.com',
    });
    expect(act('remove_labels: [env, absent]').event.labels).toEqual({});
    const full = Object.fromEntries(Array.from({ length: LIMITS.labelCount }, (_, i) => [`l${i}`, 'v']));
    const { event } = act('add_labels: { extra: x }\nset: { labels.l0: changed }', { labels: full });
    expect(Object.keys(event.labels)).toHaveLength(LIMITS.labelCount);
    expect(event.labels).not.toHaveProperty('extra');
    expect(event.labels.l0).toBe('changed');
  });

  it('fingerprint sets the de-duplication key from a template', () => {
    expect(act('fingerprint: "{node}:{type}"').event.fingerprint).toBe('web-01.example.com:DiskFull');
  });

  it('runs actions in the order written', () => {
    expect(act('set: { summary: a }\nreplace: { field: summary, this: a, with: b }').event.summary).toBe('b');
    expect(act('replace: { field: summary, this: a, with: b }\nset: { summary: a }').event.summary).toBe('a');
  });

  it('treats a label named __proto__ as a label', () => {
    const { event } = act('add_labels: { __proto__: "x" }');
    expect(Object.keys(event.labels)).toEqual(['env', '__proto__']);
    expect(JSON.parse(JSON.stringify(event.labels))).toEqual(JSON.parse('{"env":"prod","__proto__":"x"}'));
  });
});

describe('the category an event leaves with', () => {
  it('is the rule’s, else the producer’s, else operational', () => {
    expect(act('category: network', { category: 'os' }).event.category).toBe('network');
    expect(act('team: t', { category: 'os' }).event.category).toBe('os');
    expect(act('team: t').event.category).toBe('operational');
  });
});

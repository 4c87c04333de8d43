import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AcceptedEventV1 } from '@vigil/contracts';
import { exportPantherRules, exportPantherRulesWithReport, parsePantherRules } from './panther';
import { parseRuleSet } from './parse';
import { acceptedEvent } from './sample-events';
import { compiledFrom, compilePanther, contextAt } from './spec-support';

/**
 * A Panther event as Vigil's ingest delivers it: `tag`/`alert_group` become the type, every field
 * Panther does not map becomes a label (services/ingest/src/protocols/panther/panther-event.ts).
 */
function pantherEvent(fields: Record<string, string>, severity: 0 | 1 | 2 | 3 | 4 | 5): AcceptedEventV1 {
  const { node, summary, ...extra } = fields;
  const names = ['cleared', 'indeterminate', 'warning', 'minor', 'major', 'critical'] as const;
  return acceptedEvent({
    source: 'panther',
    node,
    summary,
    severity: names[severity],
    type: extra.alert_group ?? extra.tag ?? 'PantherEvent',
    labels: extra,
    origin: { via: 'http', protocol: 'panther' },
  });
}

const at = (now = '2026-03-02T10:15:00Z') => contextAt(now);

describe('golden: Panther semantics from panther-core’s own tests', () => {
  // PC:packages/oa-event-rules/test/unit/rules_sample.yml with rules_spec.coffee: the global rules,
  // their `uuid: 1234` repeats, the legacy discard/dedupe shortcuts and the groups.
  const rulesSample = compilePanther(`
agent:
  type: syslog
globals:
  dedupe:
    - - !!js/regexp /dedupe dedupea dedupe/
      - !!js/regexp /dedupea/
      - dd a dd
    - - !!js/regexp /dedupe dedupeb dedupe/
      - dd b dd
  discard:
    - !!js/regexp /some discarding text/
  rules:
    - name: simple2 test discard
      equals: { node: simple2_node }
      set: { severity: 3 }
      uuid: 1234-simple2-discard
    - name: simple4 set and replace
      equals: { node: simple4_node }
      set: { severity: -1 }
      replace: { field: simple5, this: /replace_testing/, with: 're_replace_done' }
      uuid: 1234
    - name: simple7 match and set with field
      match: { summary: /the simple7/ }
      set: { new_field: '>{simple7}<' }
      uuid: 1234
    - name: simple8 match and set with capture group
      match: { summary: /si(mple)8/ }
      set: { new_field: 'capture match >{match.1}<' }
      uuid: 1234
    - name: simple9 match and set with multiple capture groups
      match: { summary: /si(mp)l(e9)/ }
      set: { new_field: 'capture match >{match.1}< >{match.2}<' }
      uuid: 1234
groups:
  _order: [goruppo_a, group_b]
  goruppo_a:
    match: { node: [10.0.0.1, 192.168.0.1] }
    rules:
      - { name: Vendor A vs. Vendor B, equals: { node: tracker_node }, set: { node: tracker.example.com } }
  group_b:
    match: { node: /^bnode\\d+/ }
    rules:
      - { name: 'none', all: true, replace: { field: summary, this: /test/, with: '1other1' } }
`);

  const run = (fields: Record<string, string>, severity: 0 | 1 | 2 | 3 | 4 | 5 = 1) =>
    rulesSample.classify(pantherEvent(fields, severity), at());

  it('modifies the simple2 event: severity 5 → 3', () => {
    expect(
      run({ node: 'simple2_node', summary: 'simple alert summary of sev 4 bbbbbb' }, 5).event.severity,
    ).toBe('minor');
  });

  it('leaves the simple1 event alone', () => {
    const result = run({ node: 'simple1_node', summary: 'simple alert summary of sev 3 aaaaaa' }, 3);
    expect(result.event).toMatchObject({
      severity: 'minor',
      summary: 'simple alert summary of sev 3 aaaaaa',
    });
    expect(result.matchedRules).toEqual([]);
  });

  it('discards through the legacy discard shortcut', () => {
    expect(run({ node: 'n', summary: 'some discarding text' }).discarded).toBe(true);
  });

  it('dedupes in the three- and two-element forms', () => {
    expect(run({ node: 'n', summary: '3 element form dedupe dedupea dedupe' }).event.summary).toBe(
      '3 element form dedupe dd a dd dedupe',
    );
    expect(run({ node: 'n', summary: '2 element form dedupe dedupeb dedupe' }).event.summary).toBe(
      '2 element form dd b dd',
    );
  });

  it('replaces in another field (simple4 to simple5), severity -1 discarding', () => {
    const result = run({ node: 'simple4_node', summary: 's', simple5: 'start-> replace_testing <-end' });
    expect(result.event.labels.simple5).toBe('start-> re_replace_done <-end');
    expect(result.discarded).toBe(true);
  });

  it('sets from a field (simple7) and from one and two capture groups (simple8, simple9)', () => {
    expect(
      run({ node: 'n', summary: 'the simple7 match summary words', simple7: 'simple7_field_value' }).event
        .labels.new_field,
    ).toBe('>simple7_field_value<');
    expect(run({ node: 'n', summary: 'element form simple8 words' }).event.labels.new_field).toBe(
      'capture match >mple<',
    );
    expect(run({ node: 'n', summary: 'this is simple9 simple9' }).event.labels.new_field).toBe(
      'capture match >mp< >e9<',
    );
  });

  it('groups the groupb event', () => {
    expect(run({ node: 'bnode17', summary: 'simple alert summary of sev 3 dddddd' }, 3).group).toBe(
      'group_b',
    );
  });

  // PC:packages/oa-event-rules/test/unit/20_action_spec.coffee, ActionReplace and #Action.
  it('replaces with a regex, a list of replaces, and a literal', () => {
    const rules = compilePanther(`
globals:
  rules:
    - { name: one, equals: { node: a }, replace: { field: fieldname, this: !!js/regexp /search/, with: replace } }
    - name: many
      equals: { node: b }
      replace: [{ field: fieldname, this: '/Two/', with: Five }, { field: fieldname, this: '/Four/', with: Six }]
    - { name: literal, equals: { node: c }, replace: { field: field_name, this: text, with: _text_ } }
groups: { _order: [] }
`);
    const label = (node: string, name: string, value: string) =>
      rules.classify(pantherEvent({ node, summary: 's', [name]: value }, 1), at()).event.labels[name];
    expect(label('a', 'fieldname', 'ssssssearchssssss')).toBe('sssssreplacessssss');
    expect(label('b', 'fieldname', 'One Two Three Four')).toBe('One Five Three Six');
    expect(label('c', 'field_name', 'text')).toBe('_text_');
  });

  // PC:rules/server.rules.yml, the example shipped with Panther.
  it('runs Panther’s shipped example rules', () => {
    const rules = compilePanther(`
globals:
  rules:
    - name: 'Example Rule'
      match:
          summary: '/Example (.*)/'
      set:
          tag: 'example'
      uuid: 22889210-b974-11e7-9889-c70bd1bece5e
groups:
  _order:
    - Demo
  Demo:
   match:
      node: some.node.name
   rules:
     - name: Demo Group Rule 1
       match:
         summary: /critical message/
       set:
         severity: 5
       uuid: 8bb03cd1-b973-11e7-9889-c70bd1bece5e
     - name: Discard any discard messages
       match:
         summary: /discard this message/
       discard: true
       uuid: 8bb03cd2-b973-11e7-9889-c70bd1bece5e
   uuid: 8bb03cd0-b973-11e7-9889-c70bd1bece5e
`);
    const run2 = (node: string, summary: string) => rules.classify(pantherEvent({ node, summary }, 1), at());
    expect(run2('x', 'Example one').event.type).toBe('example');
    expect(run2('some.node.name', 'a critical message')).toMatchObject({
      group: 'Demo',
      event: { severity: 'critical' },
    });
    expect(run2('some.node.name', 'discard this message please').discarded).toBe(true);
    expect(run2('other.node', 'discard this message please').discarded).toBe(false);
  });

  // PC:packages/oa-event-rules/sample.rules.yml `bigor`: a list of patterns is one alternation,
  // so captures are numbered across it. Panther rendered the group that did not take part as
  // "undefined"; Vigil renders it empty.
  it('numbers captures across a list of patterns', () => {
    const rules = compilePanther(`
globals:
  rules:
    - name: bigor
      set: { summary: 'BOR {match.1}{match.2} END' }
      match: { summary: ['/(one|two|three)/', '/(four|five|six)/'] }
groups: { _order: [] }
`);
    const summary = (text: string) =>
      rules.classify(pantherEvent({ node: 'n', summary: text }, 1), at()).event.summary;
    expect(summary('number five')).toBe('BOR five END');
    expect(summary('number two')).toBe('BOR two END');
  });
});

describe('a realistic server.rules.yml', () => {
  const text = readFileSync(join(__dirname, 'fixtures', 'server.rules.yml'), 'utf8');
  const imported = parsePantherRules(text);
  const rules = compiledFrom(imported);

  it('imports, translating Panther’s names and saying where', () => {
    expect(imported.ok && imported.warnings).toEqual([
      {
        message:
          'Panther field "pid" is labels.pid (Vigil\'s ingest keeps Panther\'s extra fields as labels)',
        path: 'globals.rules[1].set.pid',
        line: 17,
        column: 9,
      },
    ]);
    if (!imported.ok) return;
    expect(imported.document.globals[1]).toEqual({
      name: 'Split syslog tag into program and pid',
      uuid: '0e4f1a10-b974-11e7-9889-c70bd1bece02',
      match: { type: '/(.*?)\\[(\\d+)\\]/' },
      set: { type: '{match.1}', 'labels.pid': '{match.2}' },
    });
    expect(imported.document.globals[2].set).toEqual({ fingerprint: '{node}:{type}:{summary}' });
    expect(imported.document.groups.map((group) => group.name)).toEqual(['Databases', 'Web', 'Catch all']);
  });

  it('classifies a database event through globals and its group', () => {
    const result = rules.classify(
      pantherEvent({ node: 'db-01', summary: 'replication lag 42s', tag: 'postgres[4242]' }, 3),
      at(),
    );
    expect(result.group).toBe('Databases');
    expect(result.event).toMatchObject({
      type: 'postgres',
      labels: { tag: 'postgres[4242]', pid: '4242' },
      fingerprint: 'db-01:postgres:replication lag 42s',
      severity: 'major',
      summary: 'replication 42s behind on db-01',
      owner: 'dba',
    });
  });

  it('uses schedules, stops in a group, and never reaches the catch-all', () => {
    const result = rules.classify(
      pantherEvent({ node: 'web-03', summary: 'GET /api 503', alert_group: 'HttpError' }, 3),
      at('2026-03-02T23:30:00Z'),
    );
    expect(result.group).toBe('Web');
    expect(result.event.owner).toBe('web-team');
    expect(result.matchedRules).toEqual([
      '0e4f1a10-b974-11e7-9889-c70bd1bece03',
      '0e4f1a10-b974-11e7-9889-c70bd1bece06',
      '0e4f1a10-b974-11e7-9889-c70bd1bece21',
    ]);
  });

  it('ends a group’s rule set with stop_rule_set and lets later groups run', () => {
    const result = rules.classify(
      pantherEvent({ node: 'db-maint-1', summary: 'connection reset by peer 10.0.0.1' }, 2),
      at(),
    );
    expect(result.group).toBe('Catch all');
    expect(result.event).toMatchObject({ owner: 'noc', summary: 'connection reset <ip>' });
  });

  it('discards in the globals and tries no group afterwards (unlike Panther)', () => {
    const result = rules.explain(
      pantherEvent({ node: 'db-maint-2', summary: 'DEBUG: vacuum done' }, 1),
      at(),
    );
    expect(result.discarded).toBe(true);
    expect(result.group).toBeUndefined();
    expect(result.matchedRules).toEqual(['0e4f1a10-b974-11e7-9889-c70bd1bece01']);
    expect(result.trace.at(-1)).toEqual({
      kind: 'end',
      reason: 'discard',
      by: { id: '0e4f1a10-b974-11e7-9889-c70bd1bece01', name: 'Discard debug chatter', location: 'globals' },
    });
  });

  it('matches a list of a literal and a flagged regex, and sets Panther’s numeric severity', () => {
    expect(
      rules.classify(pantherEvent({ node: 'app-1', summary: 'kernel: Out Of Memory' }, 1), at()).event
        .severity,
    ).toBe('critical');
    expect(
      rules.classify(pantherEvent({ node: 'app-1', summary: 'kernel panic' }, 1), at()).event.severity,
    ).toBe('critical');
  });

  it('exports to Panther YAML that imports back to the same document', () => {
    if (!imported.ok) throw new Error('fixture must import');
    const exported = exportPantherRulesWithReport(imported.document);
    expect(exported.notExported).toEqual([]);
    const again = parsePantherRules(exported.text);
    expect(again.ok && again.document).toEqual(imported.document);
  });
});

describe('exportPantherRules', () => {
  const vigil = parseRuleSet({
    format: 'yaml',
    text: `
schedules:
  - { name: Office, start: "09:00", end: "17:00", days: [Monday], timezone: Europe/London }
globals:
  rules:
    - { name: labels, labels: { env: prod, region: ["/^eu-/", us-east-1] }, severity: critical, category: security, add_labels: { tier: gold } }
    - { name: combinator, any: [{ equals: { type: A } }, { equals: { node: b } }], team: t }
    - { name: enrich, all: true, lookup: { table: owners, key: "{node}", set: { owner: owner } }, remove_labels: [tmp] }
groups: { _order: [] }
`,
  });
  if (!vigil.ok) throw new Error(JSON.stringify(vigil.errors));
  const exported = exportPantherRulesWithReport(vigil.document);

  it('writes Vigil’s extensions in Panther’s terms where it can', () => {
    const reimported = parsePantherRules(exported.text);
    if (!reimported.ok) throw new Error(JSON.stringify(reimported.errors));
    expect(reimported.document.globals[0]).toEqual({
      name: 'labels',
      equals: { 'labels.env': 'prod' },
      match: { 'labels.region': ['/^eu-/', '/^us\\-east\\-1$/'] },
      set: { severity: 5, category: 'security', 'labels.tier': 'gold' },
    });
    const rules = compiledFrom(reimported);
    const event = acceptedEvent({ labels: { env: 'prod', region: 'us-east-1' } });
    expect(rules.classify(event, at()).event).toMatchObject({
      severity: 'critical',
      category: 'security',
      labels: { tier: 'gold' },
    });
  });

  it('disables what it cannot express rather than widening it, and says so', () => {
    expect(exported.notExported).toEqual([
      'globals rule "combinator": any: has no Panther equivalent',
      'globals rule "combinator": exported disabled (skip: true) with none: true, since a partial selector would select more events',
      'globals rule "enrich": lookup (lookup tables) has no Panther equivalent',
      'globals rule "enrich": remove_labels has no Panther equivalent',
      'schedule "Office": timezone Europe/London (Panther used its server\'s zone)',
    ]);
    expect(exported.text.startsWith('# Exported from Vigil. Not expressible in Panther, left out:\n')).toBe(
      true,
    );
    const reimported = parsePantherRules(exportPantherRules(vigil.document));
    expect(reimported.ok && reimported.document.globals.slice(1)).toEqual([
      { name: 'combinator', skip: true, none: true, set: { team: 't' } },
      { name: 'enrich', skip: true, all: true },
    ]);
  });
});

describe('Panther quirks on import', () => {
  const imported = parsePantherRules(
    `
globals:
  rules:
    - { name: falsy discard, equals: { node: a }, discard: false }
    - { name: falsy all, all: false, set: { agent: relay, summary: '{input.host} {Severity}' } }
groups:
  _order: [G]
  G:
    selectors: { equals: { node: g } }
    rules: [{ name: r, all: true, set: { severity: '5' } }]
schedules:
  - { name: Night, start: '22:00', end: '06:00', days: [Monday] }
`,
    { timezone: 'Europe/Paris' },
  );

  it('keeps Panther’s meaning and warns', () => {
    if (!imported.ok) throw new Error(JSON.stringify(imported.errors));
    expect(imported.document.globals).toEqual([
      { name: 'falsy discard', equals: { node: 'a' }, discard: true },
      {
        name: 'falsy all',
        all: true,
        set: { 'labels.agent': 'relay', summary: '{attributes.host} {labels.Severity}' },
      },
    ]);
    expect(imported.document.groups[0].select).toEqual({ equals: { node: 'g' } });
    expect(imported.document.schedules[0].timezone).toBe('Europe/Paris');
    expect(imported.warnings?.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual([
      '4:60 Panther acted on "discard: false" as if it were true; imported as true',
      '5:31 Panther selected every event with "all: false" as with "all: true"; imported as all: true',
      "5:45 Panther rules could rename the agent; Vigil's source is fixed, so this writes labels.agent",
      '5:59 Panther\'s raw input field "input.host" is read as attributes.host',
      '5:59 Panther field "Severity" is labels.Severity (Vigil\'s ingest keeps Panther\'s extra fields as labels)',
    ]);
  });

  it('classifies with them', () => {
    const rules = compiledFrom(imported);
    expect(rules.classify(acceptedEvent({ node: 'a' }), at()).discarded).toBe(true);
    const result = rules.classify(acceptedEvent({ node: 'g', attributes: { host: 'h1' } }), at());
    expect(result.event).toMatchObject({ severity: 'critical', summary: 'h1 ', labels: { agent: 'relay' } });
  });
});

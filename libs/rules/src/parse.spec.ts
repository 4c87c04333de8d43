import { compileRuleSet, InvalidRuleSetError } from './compile';
import type { RuleSetDocument } from './document';
import { parseRuleSet } from './parse';
import { serialiseRuleSet } from './serialise';

const yaml = (text: string) => parseRuleSet({ text, format: 'yaml' });

const FIELDS =
  'source, node, type, summary, severity, severity_rank, category, service, environment, team, owner, impact, priority, fingerprint, group, labels.<key> or attributes.<path>';
const SEVERITY_VALUES =
  'critical, major, minor, warning, indeterminate, cleared (or an alias such as error, info, ok; or 0–5)';

describe('parseRuleSet errors, with 1-based line and column', () => {
  it('reports YAML syntax errors where the parser found them', () => {
    expect(yaml('globals:\n  rules:\n    - name: a\n      match: { summary: [x, y }\n')).toEqual({
      ok: false,
      errors: [
        {
          message: 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
          path: '',
          line: 4,
          column: 31,
        },
        {
          message: 'YAML: Flow map in block collection must be sufficiently indented and end with a }',
          path: '',
          line: 4,
          column: 32,
        },
      ],
    });
    expect(yaml('globals:\n  rules:\n    - { name: a, match: { summary: !foo x }, team: t }\n')).toEqual({
      ok: false,
      errors: [{ message: 'YAML: Unresolved tag: !foo', path: '', line: 3, column: 36 }],
    });
  });

  it('reports unknown keys at the key, suggesting the likely one', () => {
    const result = yaml(
      'globals:\n  rules:\n    - name: a\n      matches: { summary: x }\n      set: { summary: y }\n',
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          message: 'rule "a" needs at least one selector (all: true selects every event)',
          path: 'globals.rules[0]',
          line: 3,
          column: 7,
        },
        {
          message: 'unknown key "matches" in rule "a"; did you mean "match"?',
          path: 'globals.rules[0].matches',
          line: 4,
          column: 7,
        },
      ],
    });
    expect(yaml('globals:\n  rules:\n    - { name: a, any: [{ equal: { node: x } }], team: t }\n')).toEqual({
      ok: false,
      errors: [
        {
          message: 'a selector set needs at least one selector',
          path: 'globals.rules[0].any[0]',
          line: 3,
          column: 24,
        },
        {
          message: 'unknown selector "equal"; did you mean "equals"?',
          path: 'globals.rules[0].any[0].equal',
          line: 3,
          column: 26,
        },
      ],
    });
  });

  it('requires a name, a selector and an action', () => {
    expect(yaml('globals:\n  rules:\n    - { uuid: x }\n')).toEqual({
      ok: false,
      errors: [
        { message: 'a rule needs a name (got nothing)', path: 'globals.rules[0].name', line: 3, column: 7 },
        {
          message: 'rule "" needs at least one selector (all: true selects every event)',
          path: 'globals.rules[0]',
          line: 3,
          column: 7,
        },
        { message: 'rule "" needs at least one action', path: 'globals.rules[0]', line: 3, column: 7 },
      ],
    });
  });

  it('reports a bad regex with the RegExp error', () => {
    expect(
      yaml('globals:\n  rules:\n    - name: a\n      match: { summary: "/disk (/" }\n      team: t\n'),
    ).toEqual({
      ok: false,
      errors: [
        {
          message:
            'invalid regular expression /disk (/: Invalid regular expression: /disk (/: Unterminated group',
          path: 'globals.rules[0].match.summary',
          line: 4,
          column: 25,
        },
      ],
    });
  });

  it('reports unknown and read-only fields', () => {
    expect(
      yaml('globals:\n  rules:\n    - name: a\n      all: true\n      set: { colour: red, source: x }\n'),
    ).toEqual({
      ok: false,
      errors: [
        {
          message: `unknown field "colour" (fields are ${FIELDS})`,
          path: 'globals.rules[0].set.colour',
          line: 5,
          column: 14,
        },
        {
          message: 'source cannot be changed by rules',
          path: 'globals.rules[0].set.source',
          line: 5,
          column: 27,
        },
      ],
    });
    expect(yaml('globals:\n  rules:\n    - { name: a, match: { tag: x }, team: t }\n')).toEqual({
      ok: false,
      errors: [
        {
          message:
            'unknown field "tag": Panther\'s "tag" is "type" here (parsePantherRules translates Panther files)',
          path: 'globals.rules[0].match.tag',
          line: 3,
          column: 27,
        },
      ],
    });
  });

  it('reports invalid severity, category, priority and impact values', () => {
    const text =
      'globals:\n  rules:\n    - name: a\n      all: true\n      severity: bogus\n      category: weather\n      priority: P9\n      set: { impact: huge }\n';
    expect(yaml(text)).toEqual({
      ok: false,
      errors: [
        {
          message: `severity must be one of ${SEVERITY_VALUES} (got string "bogus")`,
          path: 'globals.rules[0].severity',
          line: 5,
          column: 17,
        },
        {
          message:
            'category must be one of business, os, operational, security, application, hardware, network (got string "weather")',
          path: 'globals.rules[0].category',
          line: 6,
          column: 17,
        },
        {
          message: 'priority must be one of P1, P2, P3, P4, P5 (got string "P9")',
          path: 'globals.rules[0].priority',
          line: 7,
          column: 17,
        },
        {
          message: 'impact must be one of high, medium, low (got string "huge")',
          path: 'globals.rules[0].set.impact',
          line: 8,
          column: 22,
        },
      ],
    });
    expect(yaml('globals:\n  rules:\n    - { name: a, equals: { severity: 9 }, team: t }\n')).toMatchObject({
      ok: false,
      errors: [{ path: 'globals.rules[0].equals.severity', line: 3, column: 38 }],
    });
  });

  it('reports duplicate uuids at the second use', () => {
    expect(
      yaml(
        'globals:\n  rules:\n    - { name: a, uuid: u-1, all: true, team: t }\n    - { name: b, uuid: u-1, all: true, team: t }\n',
      ),
    ).toEqual({
      ok: false,
      errors: [
        {
          message: 'uuid "u-1" is already used at globals.rules[0].uuid',
          path: 'globals.rules[1].uuid',
          line: 4,
          column: 24,
        },
      ],
    });
  });

  it('reports groups missing from _order and _order entries without a group', () => {
    expect(
      yaml('groups:\n  _order: [A, Missing]\n  A: { all: true, rules: [] }\n  B: { all: true, rules: [] }\n'),
    ).toEqual({
      ok: false,
      errors: [
        {
          message: 'group "Missing" is listed in _order but not defined under groups',
          path: 'groups._order[1]',
          line: 2,
          column: 15,
        },
        { message: 'group "B" is not listed in groups._order', path: 'groups.B', line: 4, column: 3 },
      ],
    });
  });

  it('reports unbalanced template braces and unknown placeholders', () => {
    const text =
      'globals:\n  rules:\n    - name: a\n      all: true\n      set: { summary: "{node", node: "x}" }\n      fingerprint: "{nope}"\n';
    expect(yaml(text)).toEqual({
      ok: false,
      errors: [
        {
          message: 'template "{node": unbalanced "{" at offset 0 (write "{{" for a literal brace)',
          path: 'globals.rules[0].set.summary',
          line: 5,
          column: 23,
        },
        {
          message: 'template "x}": unbalanced "}" at offset 1 (write "}}" for a literal brace)',
          path: 'globals.rules[0].set.node',
          line: 5,
          column: 38,
        },
        {
          message: `template "{nope}": placeholder {nope}: unknown field "nope" (fields are ${FIELDS})`,
          path: 'globals.rules[0].fingerprint',
          line: 6,
          column: 20,
        },
      ],
    });
  });

  it('reports unknown schedules and bad schedule definitions', () => {
    expect(yaml('globals:\n  rules:\n    - { name: a, schedule: { name: Nights }, team: t }\n')).toEqual({
      ok: false,
      errors: [
        {
          message: 'unknown schedule "Nights" (no schedules are defined)',
          path: 'globals.rules[0].schedule.name',
          line: 3,
          column: 36,
        },
      ],
    });
    expect(
      yaml(
        'schedules:\n  - { name: N, start: "25:00", end: "06:00", days: [Funday], timezone: Mars/Base }\n',
      ),
    ).toEqual({
      ok: false,
      errors: [
        {
          message: 'start must be a time HH:MM from 00:00 to 24:00 (got string "25:00")',
          path: 'schedules[0].start',
          line: 2,
          column: 23,
        },
        {
          message:
            '"Funday" is not a weekday (Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday)',
          path: 'schedules[0].days[0]',
          line: 2,
          column: 53,
        },
        {
          message: 'timezone must be an IANA zone such as Europe/London (got string "Mars/Base")',
          path: 'schedules[0].timezone',
          line: 2,
          column: 72,
        },
      ],
    });
  });

  it('positions errors in JSON sources too', () => {
    const text =
      '{\n  "globals": {\n    "rules": [\n      {"name": "a", "all": true, "severity": "bogus"}\n    ]\n  }\n}\n';
    expect(parseRuleSet({ text, format: 'json' })).toEqual({
      ok: false,
      errors: [
        {
          message: `severity must be one of ${SEVERITY_VALUES} (got string "bogus")`,
          path: 'globals.rules[0].severity',
          line: 4,
          column: 46,
        },
      ],
    });
    expect(parseRuleSet({ text: '{\n  "globals": {\n    "rules": [,]\n  }\n}\n', format: 'json' })).toEqual({
      ok: false,
      errors: [{ message: "JSON: Unexpected token ','", path: '', line: 3, column: 15 }],
    });
    expect(parseRuleSet({ text: "{'globals': {}}", format: 'json' })).toMatchObject({
      ok: false,
      errors: [{ line: 1, column: 2 }],
    });
  });
});

const FULL = `
schedules:
  - { name: Office, start: "09:00", end: "17:00", days: [Monday, Friday], timezone: Europe/London }
globals:
  rules:
    - name: Capture
      uuid: 5d4c0a9e-1c4b-11ef-9b1a-0242ac120002
      match: { summary: ["/disk (\\\\S+)/i", literal] }
      not: { labels: { env: dev } }
      set: { summary: "{node}: {match.1}", labels.mount: "{match.1}" }
      severity: critical
      lookup: { table: owners, key: "{node}", set: { owner: owner } }
    - name: Off
      skip: true
      all: true
groups:
  _order: [Web]
  Web:
    uuid: 6e5d1b0f-1c4b-11ef-9b1a-0242ac120002
    select: { starts_with: { node: web }, schedule: { name: Office } }
    rules:
      - { name: Team, any: [{ equals: { type: A } }, { all: true }], team: web, stop: true }
metadata:
  save_date: 1509029234913
`;

describe('parse and serialise', () => {
  it('keeps the document’s meaning and key order', () => {
    const result = yaml(FULL);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const [capture] = result.document.globals;
    expect(Object.keys(capture)).toEqual(['name', 'uuid', 'match', 'not', 'set', 'severity', 'lookup']);
    expect(result.document.groups[0]).toEqual({
      name: 'Web',
      uuid: '6e5d1b0f-1c4b-11ef-9b1a-0242ac120002',
      select: { starts_with: { node: 'web' }, schedule: { name: 'Office' } },
      rules: [{ name: 'Team', any: [{ equals: { type: 'A' } }, { all: true }], team: 'web', stop: true }],
    });
    expect(result.document.metadata).toEqual({ save_date: 1509029234913 });
  });

  it.each(['yaml', 'json'] as const)('round-trips through %s', (format) => {
    const first = yaml(FULL);
    if (!first.ok) throw new Error('fixture must parse');
    const text = serialiseRuleSet(first.document, format);
    const second = parseRuleSet({ text, format });
    expect(second).toEqual({ ok: true, document: first.document });
    if (second.ok) expect(serialiseRuleSet(second.document, format)).toBe(text);
  });

  it('accepts an empty rule set', () => {
    expect(yaml('')).toEqual({ ok: true, document: { globals: [], groups: [], schedules: [] } });
  });
});

describe('compileRuleSet', () => {
  it('refuses a hand-built document that is not valid', () => {
    const document: RuleSetDocument = {
      globals: [{ name: 'x', all: true, category: 'weather' as 'os' }],
      groups: [],
      schedules: [],
    };
    expect(() => compileRuleSet(document, { name: 'n', version: '1' })).toThrow(InvalidRuleSetError);
    expect(() => compileRuleSet(document, { name: 'n', version: '1' })).toThrow(
      /globals\.rules\[0\]\.category: category must be one of/,
    );
  });
});

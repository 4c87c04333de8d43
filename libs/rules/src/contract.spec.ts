import { AcceptedEventV1, CATEGORIES, ClassifiedEventV1, SEVERITIES, validatePlain } from '@vigil/contracts';
import { parseLookupTable } from './lookup';
import { acceptedEvent } from './sample-events';
import { compileYaml, contextAt } from './spec-support';

/** A small seeded generator (mulberry32), so a failure reproduces from its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  return { next, pick };
}

/** Rules chosen to push every field towards its limits: empty, too long, not a valid value. */
const RULES = [
  '{ name: r, all: true, set: { severity: "{labels.a}", category: "{labels.b}", impact: "{labels.a}", priority: "{labels.b}" } }',
  '{ name: r, all: true, set: { node: "{labels.missing}", type: "{attributes.missing}", fingerprint: "{labels.none}" } }',
  '{ name: r, all: true, set: { team: "{labels.a}", owner: "{labels.empty}", service: "{labels.long}", environment: "" } }',
  '{ name: r, all: true, set: { summary: "{labels.long}{labels.long}", node: "{labels.long}{summary}" } }',
  '{ name: r, all: true, add_labels: { many_a: "{labels.long}", many_b: x, many_c: "{summary}" } }',
  '{ name: r, all: true, remove_labels: [a, b, env] }',
  '{ name: r, match: { summary: "/(\\\\w+)/" }, set: { labels.cap: "{match.1}{match.9}", attributes.deep.path: "{match.1}" } }',
  '{ name: r, all: true, replace: { field: severity, this: "/.*/", with: "nonsense" } }',
  '{ name: r, all: true, replace: { field: node, this: "/.*/s", with: "" } }',
  '{ name: r, all: true, lookup: { table: t, key: "{labels.a}", set: { team: team, category: category, severity: severity } } }',
  '{ name: r, any: [{ labels: { a: "/x/" } }, { not: { all: true } }], discard: true }',
  '{ name: r, all: true, severity: critical, impact: high, priority: P2, category: security, stop: true }',
  '{ name: r, all: true, fingerprint: "{node}:{type}:{labels.long}{labels.long}" }',
  '{ name: r, greater_than: { severity: 2 }, set: { severity: "{severity_rank}" } }',
] as const;

const VALUES = [
  '',
  'x',
  'critical',
  '5',
  '-1',
  'P1',
  'security',
  'high',
  'medium',
  'bogus',
  'é'.repeat(300),
  'y'.repeat(3000),
];

function generatedEvent(rng: ReturnType<typeof random>, i: number): AcceptedEventV1 {
  const labelCount = rng.pick([0, 1, 5, 62, 64]);
  const labels: Record<string, string> = {};
  for (let k = 0; k < labelCount; k++) labels[`l${k}`] = rng.pick(VALUES).slice(0, 1024);
  labels.a = rng.pick(VALUES).slice(0, 1024);
  labels.b = rng.pick(VALUES).slice(0, 1024);
  labels.long = 'z'.repeat(1000);
  while (Object.keys(labels).length > 64) delete labels[Object.keys(labels)[0]];
  return acceptedEvent({
    node: `node-${i}`,
    summary: rng.pick(['', 'short', 'w'.repeat(1024)]),
    severity: rng.pick(SEVERITIES),
    ...(rng.next() < 0.5 ? { category: rng.pick(CATEGORIES) } : {}),
    ...(rng.next() < 0.3 ? { service: 'svc', environment: 'prod', producerId: `p-${i}` } : {}),
    labels,
    attributes: rng.next() < 0.5 ? { deep: 'not an object', n: i } : {},
  });
}

describe('every classified event satisfies the contract', () => {
  const table = parseLookupTable(
    't',
    [
      'key,team,category,severity',
      'x,,weather,bogus',
      'critical,ops,security,5',
      '5,' + 'q'.repeat(500) + ',os,critical',
    ].join('\n'),
    'csv',
  );
  if (!table.ok) throw new Error(JSON.stringify(table.errors));

  it('stays valid over generated events and rule sets', () => {
    const rng = random(20260302);
    let checked = 0;
    for (let set = 0; set < 60; set++) {
      const chosen = Array.from({ length: 1 + Math.floor(rng.next() * 6) }, () => rng.pick(RULES));
      const text = `globals:\n  rules:\n${chosen.map((rule) => `    - ${rule}`).join('\n')}\ngroups:\n  _order: [G]\n  G: { all: true, rules: [${rng.pick(RULES)}] }\n`;
      const rules = compileYaml(text);
      for (let e = 0; e < 40; e++) {
        const classification = rules.classify(generatedEvent(rng, e), contextAt(undefined, [table.table]));
        const verdict = validatePlain(ClassifiedEventV1, JSON.parse(JSON.stringify(classification.event)));
        if (!verdict.ok) throw new Error(`rule set:\n${text}\nerrors: ${JSON.stringify(verdict.errors)}`);
        checked++;
      }
    }
    expect(checked).toBe(2400);
  });

  it('would notice an invalid event (the check is not vacuous)', () => {
    const { event } = compileYaml('globals:\n  rules: []\n').classify(acceptedEvent(), contextAt());
    expect(validatePlain(ClassifiedEventV1, JSON.parse(JSON.stringify(event))).ok).toBe(true);
    expect(validatePlain(ClassifiedEventV1, { ...event, team: '' }).ok).toBe(false);
    expect(validatePlain(ClassifiedEventV1, { ...event, severity: 'bogus' }).ok).toBe(false);
  });
});

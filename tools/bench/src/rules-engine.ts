import { performance } from 'node:perf_hooks';
import type { AcceptedEventV1 } from '@vigil/contracts';
import { acceptedEvent } from '@vigil/testing';
import {
  ClassifyContext,
  compileRuleSet,
  LookupTable,
  parseLookupTable,
  parseRuleSet,
  RuleSetDocument,
} from '@vigil/rules';

const NODE_KINDS = ['web', 'db', 'app', 'cache', 'lb', 'queue', 'auth', 'batch'] as const;
const TYPES = [
  'DiskFull',
  'HighLoad',
  'LinkDown',
  'ProcessDied',
  'CertExpiry',
  'Heartbeat',
  'Backup',
  'LoginFailed',
];
const SUMMARIES = [
  'disk /var is 91% full',
  'connection timeout on port 5432',
  'connection refused on port 443',
  'process nginx exited with status 137',
  'certificate for api.example.com expires in 5 days',
  'load average 12.5 over 5 minutes',
  'debug: cache warm-up finished',
  'login failed for user admin from 10.1.2.3',
];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'ap-south-1'];

function groupRules(kind: string, count: number, offset: number): string[] {
  return Array.from({ length: count }, (_, i) => ruleText(i + offset, `${kind} rule ${i}`, kind));
}

/** One of eight realistic rule shapes; most select a sliver of the traffic, as real rule sets do. */
function ruleText(i: number, name: string, kind: string): string {
  const n = i % 97;
  switch (i % 8) {
    case 0:
      return `- name: "${name}"\n  match: { summary: "/(timeout|refused) on port (${5000 + n}|443)/" }\n  set: { summary: "{node}: {match.1} on {match.2}" }\n  severity: major`;
    case 1:
      return `- name: "${name}"\n  equals: { type: [${TYPES[n % TYPES.length]}, Custom${n}] }\n  starts_with: { node: "${kind}-${n % 10}" }\n  severity: minor`;
    case 2:
      return `- name: "${name}"\n  starts_with: { node: "${kind}-1${n % 10}" }\n  team: "team-${n % 7}"`;
    case 3:
      return `- name: "${name}"\n  labels: { env: prod, region: "/^eu-(west|central)-${(n % 2) + 1}$/" }\n  equals: { type: ${TYPES[n % TYPES.length]} }\n  add_labels: { tier: "gold-{labels.region}" }`;
    case 4:
      return `- name: "${name}"\n  match: { summary: "status ${100 + n}" }\n  category: application`;
    case 5:
      return `- name: "${name}"\n  schedule: { name: "Night ${n % 3}" }\n  greater_than: { severity: 3 }\n  equals: { type: ${TYPES[(n + 3) % TYPES.length]} }\n  impact: low`;
    case 6:
      return `- name: "${name}"\n  equals: { type: ${TYPES[(n + 5) % TYPES.length]} }\n  lookup: { table: owners, key: "{node}", set: { owner: owner, service: service } }`;
    default:
      return `- name: "${name}"\n  ends_with: { node: ".corp${n}" }\n  not: { equals: { environment: dev } }\n  replace: { field: summary, this: "/\\\\d+/g", with: "N" }`;
  }
}

function indent(lines: string[], spaces: number): string {
  const pad = ' '.repeat(spaces);
  return lines.map((text) => text.replace(/^/gm, pad)).join('\n');
}

/**
 * A realistic rule set of about `ruleCount` rules: a fifth global (including a discard of debug
 * noise), the rest in one group per node kind, selected by node prefix.
 */
export function benchmarkRuleSetDocument(ruleCount: number): RuleSetDocument {
  const globalCount = Math.max(1, Math.round(ruleCount / 5));
  const perGroup = Math.max(1, Math.floor((ruleCount - globalCount) / NODE_KINDS.length));
  const globals = [
    `- name: Discard debug noise\n  match: { summary: "/^debug:/" }\n  discard: true`,
    ...Array.from({ length: globalCount - 1 }, (_, i) => ruleText(i, `global rule ${i}`, 'any')),
  ];
  const groupNames = NODE_KINDS.map((kind) => `${kind[0].toUpperCase()}${kind.slice(1)} servers`);
  const groups = NODE_KINDS.map(
    (kind, g) =>
      `  "${groupNames[g]}":\n    select: { starts_with: { node: "${kind}-" } }\n    rules:\n${indent(groupRules(kind, perGroup, g * perGroup), 6)}`,
  );
  const text = [
    'schedules:',
    ...[0, 1, 2].map(
      (n) =>
        `  - { name: "Night ${n}", start: "2${n}:00", end: "06:00", days: [Monday, Tuesday, Wednesday, Thursday, Friday], timezone: Europe/London }`,
    ),
    'globals:',
    '  rules:',
    indent(globals, 4),
    'groups:',
    `  _order: [${groupNames.map((name) => `"${name}"`).join(', ')}]`,
    ...groups,
  ].join('\n');
  const parsed = parseRuleSet({ text, format: 'yaml' });
  if (!parsed.ok)
    throw new Error(`benchmark rule set is invalid: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  return parsed.document;
}

export function benchmarkEvents(count: number): AcceptedEventV1[] {
  return Array.from({ length: count }, (_, i) =>
    acceptedEvent({
      ...FIXED,
      node: `${NODE_KINDS[i % NODE_KINDS.length]}-${i % 23}.example.com`,
      type: TYPES[(i * 7) % TYPES.length],
      summary: SUMMARIES[(i * 3) % SUMMARIES.length],
      severity: (['critical', 'major', 'minor', 'warning', 'indeterminate'] as const)[i % 5],
      labels: {
        env: i % 3 === 0 ? 'staging' : 'prod',
        region: REGIONS[i % REGIONS.length],
        app: `svc-${i % 11}`,
      },
      fingerprint: `fp-${i}`,
    }),
  );
}

/** Fixed id, source and times, so that every run classifies the same events. */
const FIXED: Partial<AcceptedEventV1> = {
  id: '6f1c1d52-8c1e-5b7a-9a53-3c1f3f0b8e21',
  source: 'monitoring',
  occurredAt: '2026-03-02T10:15:00Z',
  receivedAt: '2026-03-02T10:15:01Z',
};

function ownersTable(): LookupTable {
  const rows = Array.from(
    { length: 23 * NODE_KINDS.length },
    (_, i) => `${NODE_KINDS[i % NODE_KINDS.length]}-${i % 23}.example.com,owner-${i % 13},service-${i % 5}`,
  );
  const parsed = parseLookupTable('owners', ['node,owner,service', ...rows].join('\n'), 'csv');
  if (!parsed.ok) throw new Error('benchmark table is invalid');
  return parsed.table;
}

/**
 * Classifies `events` generated events with a `ruleCount`-rule set on this thread and reports the
 * rate. A warm-up pass lets the JIT compile the hot closures before the timed pass.
 */
export function benchmarkRuleSet(
  ruleCount: number,
  events: number,
): { eventsPerSecond: number; rules: number } {
  const compiled = compileRuleSet(benchmarkRuleSetDocument(ruleCount), { name: 'bench', version: '1' });
  const sample = benchmarkEvents(Math.min(events, 4096));
  const context: ClassifyContext = {
    now: new Date('2026-03-03T23:30:00Z'),
    tables: new Map([['owners', ownersTable()]]),
  };
  const warmUp = Math.min(events, 20_000);
  for (let i = 0; i < warmUp; i++) compiled.classify(sample[i % sample.length], context);
  const started = performance.now();
  for (let i = 0; i < events; i++) compiled.classify(sample[i % sample.length], context);
  const seconds = (performance.now() - started) / 1000;
  return { eventsPerSecond: Math.round(events / seconds), rules: compiled.rules.length };
}

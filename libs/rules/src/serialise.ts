import { stringify } from 'yaml';
import type { GroupDocument, RuleDocument, RuleSetDocument, ScheduleDocument } from './document';

/** The file's shape: `globals: {rules}`, `groups: {_order, <name>: {...}}`, as Panther writes it. */
export interface RuleSetFile {
  globals: { rules: RuleDocument[] };
  groups: Record<string, unknown> & { _order: string[] };
  schedules: ScheduleDocument[];
  metadata?: Record<string, unknown>;
}

export function toRuleSetFile(document: RuleSetDocument): RuleSetFile {
  const groups: RuleSetFile['groups'] = { _order: document.groups.map((group) => group.name) };
  for (const group of document.groups) {
    Object.defineProperty(groups, group.name, {
      value: groupFile(group),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    globals: { rules: document.globals },
    groups,
    schedules: document.schedules,
    ...(document.metadata ? { metadata: document.metadata } : {}),
  };
}

function groupFile(group: GroupDocument): Record<string, unknown> {
  return { ...(group.uuid ? { uuid: group.uuid } : {}), select: group.select, rules: group.rules };
}

/** Text that `parseRuleSet` reads back into an equal document. */
export function serialiseRuleSet(document: RuleSetDocument, format: 'yaml' | 'json'): string {
  const file = toRuleSetFile(document);
  // JSON round-trips through a plain copy so that null-prototype maps print like any other.
  const plain = JSON.parse(JSON.stringify(file)) as RuleSetFile;
  return format === 'json' ? `${JSON.stringify(plain, null, 2)}\n` : stringify(plain, { lineWidth: 0 });
}

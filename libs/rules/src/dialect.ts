import { FieldParse, parseFieldPath } from './fields';
import type { Problems } from './errors';

/**
 * How a field name is used where it appears. Panther's severity was a number, so an imported rule
 * that matches or templates `severity` means the number (`severity_rank`), while `equals` and the
 * comparisons work on either scale.
 */
export type FieldUse = 'text' | 'compare' | 'write' | 'template';

/**
 * What differs between Vigil's own files and Panther's: field names, and a few values Panther gave a
 * meaning that Vigil spells differently. Validation is otherwise the same for both.
 */
export interface Dialect {
  readonly panther: boolean;
  field(name: string, use: FieldUse, path: string, problems: Problems): FieldParse;
  readonly defaultTimezone: string | undefined;
}

/** Panther's names for Vigil's fields (`tag`, `alert_group`: the event type as Vigil's ingest maps it). */
export const PANTHER_FIELD_ALIASES: Readonly<Record<string, string>> = {
  identifier: 'fingerprint',
  tag: 'type',
  alert_group: 'type',
  agent: 'source',
};

/** Prefixes Panther used for the raw input; Vigil keeps what the producer sent in `attributes`. */
export const PANTHER_INPUT_PREFIXES = ['input.', 'syslog.', 'original.'] as const;

export const VIGIL_DIALECT: Dialect = {
  panther: false,
  defaultTimezone: undefined,
  field(name) {
    const parsed = parseFieldPath(name);
    if (!parsed.ok && Object.hasOwn(PANTHER_FIELD_ALIASES, name)) {
      return {
        ok: false,
        message: `unknown field "${name}": Panther's "${name}" is "${PANTHER_FIELD_ALIASES[name]}" here (parsePantherRules translates Panther files)`,
      };
    }
    return parsed;
  },
};

export function pantherDialect(defaultTimezone: string | undefined): Dialect {
  return {
    panther: true,
    defaultTimezone,
    field(name, use, path, problems) {
      if (name === 'severity' && (use === 'text' || use === 'template')) {
        return parseFieldPath('severity_rank');
      }
      if (name === 'agent' && use === 'write') {
        problems.warn(
          path,
          "Panther rules could rename the agent; Vigil's source is fixed, so this writes labels.agent",
          'key',
        );
        return parseFieldPath('labels.agent');
      }
      if (Object.hasOwn(PANTHER_FIELD_ALIASES, name)) return parseFieldPath(PANTHER_FIELD_ALIASES[name]);
      const own = parseFieldPath(name);
      if (own.ok) return own;
      const prefix = PANTHER_INPUT_PREFIXES.find((p) => name.startsWith(p));
      if (prefix) {
        const mapped = `attributes.${name.slice(prefix.length)}`;
        problems.warn(path, `Panther's raw input field "${name}" is read as ${mapped}`, 'key');
        return parseFieldPath(mapped);
      }
      const label = parseFieldPath(`labels.${name}`);
      if (label.ok) {
        problems.warn(
          path,
          `Panther field "${name}" is labels.${name} (Vigil's ingest keeps Panther's extra fields as labels)`,
          'key',
        );
        return label;
      }
      return { ok: false, message: `Panther field "${name}" has no Vigil equivalent: ${label.message}` };
    },
  };
}

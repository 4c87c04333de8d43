import { LABEL_KEY_PATTERN, LIMITS } from '@vigil/contracts';

/**
 * The event fields rules can name. `severity_rank` is severity on Panther's 0–5 scale (read-only),
 * so imported rules that matched or templated Panther's numeric severity keep working; `group` is
 * the group that matched last, which the classification reports beside the event.
 */
export const CORE_FIELDS = [
  'source',
  'node',
  'type',
  'summary',
  'severity',
  'severity_rank',
  'category',
  'service',
  'environment',
  'team',
  'owner',
  'impact',
  'priority',
  'fingerprint',
  'group',
] as const;
export type CoreField = (typeof CORE_FIELDS)[number];

/** Source is the producer's NATS subject token and the rank follows severity: rules cannot write them. */
export const READ_ONLY_FIELDS: readonly CoreField[] = ['source', 'severity_rank'];

export type FieldRef =
  | { kind: 'core'; name: CoreField }
  | { kind: 'label'; key: string }
  | { kind: 'attribute'; path: readonly string[] };

export type FieldParse = { ok: true; field: FieldRef } | { ok: false; message: string };

export function isCoreField(name: string): name is CoreField {
  return (CORE_FIELDS as readonly string[]).includes(name);
}

export function labelKeyProblem(key: string): string | undefined {
  if (!LABEL_KEY_PATTERN.test(key) || key.length > LIMITS.labelKeyLength) {
    return `label key "${key}" must match ${LABEL_KEY_PATTERN.source} and be at most ${LIMITS.labelKeyLength} characters`;
  }
  return undefined;
}

export const FIELD_HELP = `${CORE_FIELDS.join(', ')}, labels.<key> or attributes.<path>`;

/** Reads `node`, `labels.env`, `attributes.http.status`. */
export function parseFieldPath(text: string): FieldParse {
  if (isCoreField(text)) return { ok: true, field: { kind: 'core', name: text } };
  if (text.startsWith('labels.')) {
    const key = text.slice('labels.'.length);
    const problem = labelKeyProblem(key);
    return problem ? { ok: false, message: problem } : { ok: true, field: { kind: 'label', key } };
  }
  if (text.startsWith('attributes.')) {
    const path = text.slice('attributes.'.length).split('.');
    if (path.some((segment) => segment === '')) {
      return { ok: false, message: `attribute path "${text}" has an empty segment` };
    }
    return { ok: true, field: { kind: 'attribute', path } };
  }
  return { ok: false, message: `unknown field "${text}" (fields are ${FIELD_HELP})` };
}

export function fieldText(field: FieldRef): string {
  switch (field.kind) {
    case 'core':
      return field.name;
    case 'label':
      return `labels.${field.key}`;
    case 'attribute':
      return `attributes.${field.path.join('.')}`;
  }
}

export function isWritable(field: FieldRef): boolean {
  return field.kind !== 'core' || !READ_ONLY_FIELDS.includes(field.name);
}

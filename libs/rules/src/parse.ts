import { Dialect, VIGIL_DIALECT } from './dialect';
import type { RuleSetDocument } from './document';
import { Problems, RuleError } from './errors';
import { loadSource } from './source';
import { validateRuleSet } from './validate';

export interface RuleSetSource {
  text: string;
  format: 'yaml' | 'json';
}

/**
 * Either the document, with any warnings (things that were accepted but may not mean what the
 * author expects, such as Panther names that were translated), or every error found.
 */
export type ParseResult =
  { ok: true; document: RuleSetDocument; warnings?: RuleError[] } | { ok: false; errors: RuleError[] };

export function parseWithDialect(source: RuleSetSource, dialect: Dialect): ParseResult {
  const loaded = loadSource(source.text, source.format);
  if (!loaded.ok) return loaded;
  const problems = new Problems();
  const document = validateRuleSet(loaded.source.value, dialect, problems);
  if (problems.hasErrors) return { ok: false, errors: problems.errors(loaded.source.locate) };
  const warnings = problems.warnings(loaded.source.locate);
  return warnings.length ? { ok: true, document, warnings } : { ok: true, document };
}

/** A Vigil rule set (a superset of Panther's server.rules.yml with Vigil's field names). */
export function parseRuleSet(source: RuleSetSource): ParseResult {
  return parseWithDialect(source, VIGIL_DIALECT);
}

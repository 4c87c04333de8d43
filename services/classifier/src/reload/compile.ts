import { errorText } from '@vigil/messaging';
import type { RuleSetFormat } from '@vigil/persistence';
import {
  compileRuleSet,
  CompiledRuleSet,
  LookupTable,
  parseLookupTable,
  parseRuleSet,
  RuleError,
  RuleSetDocument,
} from '@vigil/rules';
import type { LookupTableVersion } from '../storage/lookup-table.repository';

/** The name classified events carry for saved rule sets (`classification.ruleSet`). */
export const RULE_SET_NAME = 'vigil';
/** What runs before any rule set was saved, under the name events carried before rules existed. */
export const EMPTY_RULE_SET_NAME = 'default';
/** The version reported while the empty rule set runs. */
export const NO_VERSION = 0;

export const EMPTY_DOCUMENT: RuleSetDocument = { globals: [], groups: [], schedules: [] };

export type CompileOutcome =
  | { ok: true; document: RuleSetDocument; ruleSet: CompiledRuleSet; warnings: RuleError[] }
  | { ok: false; errors: RuleError[] };

/** Parses and compiles rule set text; every problem is returned, nothing throws. */
export function compileText(
  text: string,
  format: RuleSetFormat,
  meta: { name: string; version: string },
): CompileOutcome {
  const parsed = parseRuleSet({ text, format });
  if (!parsed.ok) return parsed;
  const compiled = compileDocument(parsed.document, meta);
  return compiled.ok ? { ...compiled, warnings: parsed.warnings ?? [] } : compiled;
}

export function compileDocument(
  document: RuleSetDocument,
  meta: { name: string; version: string },
): CompileOutcome {
  try {
    return { ok: true, document, ruleSet: compileRuleSet(document, meta), warnings: [] };
  } catch (error) {
    // parseRuleSet is meant to catch everything compileRuleSet would refuse; if it did not, the
    // operator still gets an answer rather than a 500.
    return { ok: false, errors: [{ message: errorText(error), path: '' }] };
  }
}

/** The set that classifies while no version exists: every event gets the defaults. */
export function emptyRuleSet(): CompiledRuleSet {
  return compileRuleSet(EMPTY_DOCUMENT, { name: EMPTY_RULE_SET_NAME, version: String(NO_VERSION) });
}

/** A stored table version as the engine uses it. */
export function parseStoredTable(
  stored: Pick<LookupTableVersion, 'name' | 'content' | 'format' | 'keyColumn'>,
): { ok: true; table: LookupTable } | { ok: false; errors: RuleError[] } {
  return parseLookupTable(stored.name, stored.content, stored.format, stored.keyColumn);
}

/** For logs: the first few problems on one line. */
export function describeErrors(errors: readonly RuleError[]): string {
  return errors
    .slice(0, 3)
    .map((error) => (error.line === undefined ? error.message : `line ${error.line}: ${error.message}`))
    .join('; ');
}

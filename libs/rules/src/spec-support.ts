import type { AcceptedEventV1 } from '@vigil/contracts';
import { Classification, ClassifyContext, CompiledRuleSet, compileRuleSet, Explanation } from './compile';
import type { LookupTable } from './lookup';
import { parsePantherRules } from './panther';
import { parseRuleSet, ParseResult } from './parse';
import { acceptedEvent } from './sample-events';

/** Shared by the specs: YAML in, a compiled rule set out, failing loudly on a parse error. */
export function compiledFrom(result: ParseResult): CompiledRuleSet {
  if (!result.ok)
    throw new Error(`expected the rule set to parse: ${JSON.stringify(result.errors, null, 2)}`);
  return compileRuleSet(result.document, { name: 'spec', version: '7' });
}

export function compileYaml(text: string): CompiledRuleSet {
  return compiledFrom(parseRuleSet({ text, format: 'yaml' }));
}

export function compilePanther(text: string): CompiledRuleSet {
  return compiledFrom(parsePantherRules(text));
}

export function contextAt(now = '2026-03-02T10:15:00Z', tables: LookupTable[] = []): ClassifyContext {
  return { now: new Date(now), tables: new Map(tables.map((table) => [table.name, table])) };
}

export function classifyYaml(
  text: string,
  event: Partial<AcceptedEventV1> = {},
  context: ClassifyContext = contextAt(),
): Classification {
  return compileYaml(text).classify(acceptedEvent(event), context);
}

export function explainYaml(
  text: string,
  event: Partial<AcceptedEventV1> = {},
  context: ClassifyContext = contextAt(),
): Explanation {
  return compileYaml(text).explain(acceptedEvent(event), context);
}

/** A rule set with the given global rules (YAML list items, already indented by two). */
export function globalsOnly(rules: string): string {
  return `globals:\n  rules:\n${rules.replace(/^/gm, '    ')}\n`;
}

import { Injectable, Logger } from '@nestjs/common';
import type { FieldError } from '@vigil/contracts';
import { Sql } from '@vigil/persistence';
import {
  parseInhibitRule,
  parseMatchers,
  parseTimeWindow,
  InhibitRule,
  Matcher,
  TimeWindow,
} from '@vigil/matching';
import type { AlertSilences } from '../alerts';
import { CompiledInhibitRule, CompiledWindow, SilenceSet } from './silence-set';
import { SilencesRepository } from './silences.repository';
import type { InhibitRuleRow, MaintenanceWindowRow } from './silences.rows';

/** Prefixes a libs/matching field path with the request's field: `rrule` → `window.rrule`, `` → `window`. */
export const under = (parent: string, errors: readonly FieldError[]): FieldError[] =>
  errors.map((e) => ({ field: e.field ? `${parent}.${e.field}` : parent, reason: e.reason }));

export function parseWindowDefinition(
  matchers: unknown,
  window: unknown,
): { ok: true; matchers: Matcher[]; window: TimeWindow } | { ok: false; errors: FieldError[] } {
  const m = parseMatchers(matchers, 'matchers');
  const w = parseTimeWindow(window);
  const errors = [...(m.ok ? [] : m.errors), ...(w.ok ? [] : under('window', w.errors))];
  if (!m.ok || !w.ok) return { ok: false, errors };
  return { ok: true, matchers: m.matchers, window: w.window };
}

export function parseRuleDefinition(input: {
  sourceMatchers: unknown;
  targetMatchers: unknown;
  equal: unknown;
}): { ok: true; rule: InhibitRule } | { ok: false; errors: FieldError[] } {
  // Only the rule's own fields: the request also names, comments and says who.
  const { sourceMatchers, targetMatchers, equal } = input;
  return parseInhibitRule({ sourceMatchers, targetMatchers, equal });
}

/**
 * Maintenance windows and inhibition rules, parsed, in memory: the batch path evaluates them per
 * event without a query (it is the `AlertSilences` the alerts module consults). Replaced whole on
 * every load — after this process changes a definition, before each silence timer pass, and on a
 * poll (other replicas' changes).
 */
@Injectable()
export class SilenceRules implements AlertSilences {
  private readonly logger = new Logger(SilenceRules.name);
  private current = new SilenceSet([], []);

  constructor(private readonly repository: SilencesRepository) {}

  replace(windows: readonly MaintenanceWindowRow[], rules: readonly InhibitRuleRow[]): void {
    const compiledWindows: CompiledWindow[] = [];
    for (const row of [...windows].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const parsed = parseWindowDefinition(row.matchers, row.window);
      // Validated when written; a row that no longer parses (a library change) must not stop alerts.
      if (parsed.ok) compiledWindows.push({ id: row.id, matchers: parsed.matchers, window: parsed.window });
      else this.logger.warn(`maintenance window ${row.id} ignored: ${JSON.stringify(parsed.errors)}`);
    }
    const compiledRules: CompiledInhibitRule[] = [];
    for (const row of [...rules].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const parsed = parseRuleDefinition(row);
      if (parsed.ok) compiledRules.push({ id: row.id, rule: parsed.rule });
      else this.logger.warn(`inhibition rule ${row.id} ignored: ${JSON.stringify(parsed.errors)}`);
    }
    this.current = new SilenceSet(compiledWindows, compiledRules);
  }

  view(): SilenceSet {
    return this.current;
  }

  requestReconcile(sql: Sql, at: Date): Promise<void> {
    return this.repository.requestReconcile(sql, at);
  }
}

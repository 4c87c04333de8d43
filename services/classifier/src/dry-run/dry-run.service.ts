import { Injectable } from '@nestjs/common';
import type { AcceptedEventV1, ClassifiedEventV1 } from '@vigil/contracts';
import type { CompiledRuleSet, RuleTraceEntry } from '@vigil/rules';
import { documentErrorsException, fieldErrorsException } from '../http/errors';
import { ActiveRules } from '../reload/active-rules';
import { compileText, RULE_SET_NAME } from '../reload/compile';
import type { RuleSetSourceDto } from '../rules/rule-set.dto';
import { AcceptedHistory } from './accepted-history';
import { DEFAULT_HISTORY_EVENTS, DryRunDto, HistoryDryRunDto } from './dry-run.dto';
import { HistoryComparison, HistoryComparisonReport } from './history-comparison';
import { completeSampleEvents } from './sample-events';

/** The version a proposed rule set carries on the events of a dry run. */
export const PROPOSED_VERSION = 'proposed';

export interface DryRunResult {
  input: AcceptedEventV1;
  output: ClassifiedEventV1;
  discarded: boolean;
  matchedRules: string[];
  group: string | null;
  trace: RuleTraceEntry[];
}

export interface DryRunReport {
  ruleSet: { name: string; version: string };
  results: DryRunResult[];
}

export interface HistoryReport extends HistoryComparisonReport {
  /** The set the events were compared against: the active one of this replica. */
  current: { version: number };
  /** Which part of the accepted stream was replayed, and what could not be read. */
  window: { firstSequence: number | null; lastSequence: number | null; skipped: number };
}

/** Rules tried on events without touching the live pipeline. */
@Injectable()
export class DryRunService {
  constructor(
    private readonly active: ActiveRules,
    private readonly history: AcceptedHistory,
  ) {}

  /** Sample events through the proposed (or active) rules, each with its rule-by-rule trace. */
  run(request: DryRunDto): DryRunReport {
    const now = new Date();
    const { ruleSet: activeSet, tables } = this.active.current;
    const ruleSet = request.rules ? proposed(request.rules) : activeSet;
    const completed = completeSampleEvents(request.events, now);
    if (!completed.ok) throw fieldErrorsException('invalid sample events', completed.errors);
    return {
      ruleSet: { name: ruleSet.name, version: ruleSet.version },
      results: completed.events.map((input) => {
        const { event, discarded, matchedRules, group, trace } = ruleSet.explain(input, { now, tables });
        return { input, output: event, discarded, matchedRules, group: group ?? null, trace };
      }),
    };
  }

  /**
   * Replays the most recent accepted events through the active and the proposed rule set and
   * reports what would change. Each event is classified as of when it arrived, so time-dependent
   * rules (schedules) behave as they would have then.
   */
  async replayHistory(request: HistoryDryRunDto): Promise<HistoryReport> {
    const candidate = proposed(request.rules);
    const { ruleSet: current, tables, version } = this.active.current;
    const window = await this.history.readLast(request.limit ?? DEFAULT_HISTORY_EVENTS);
    const comparison = new HistoryComparison(current.rules, candidate.rules);
    for (const event of window.events) {
      const context = { now: new Date(event.receivedAt), tables };
      comparison.add(event, current.classify(event, context), candidate.classify(event, context));
    }
    return {
      current: { version },
      window: {
        firstSequence: window.firstSequence,
        lastSequence: window.lastSequence,
        skipped: window.skipped,
      },
      ...comparison.report(),
    };
  }
}

function proposed(source: RuleSetSourceDto): CompiledRuleSet {
  const compiled = compileText(source.content, source.format ?? 'yaml', {
    name: RULE_SET_NAME,
    version: PROPOSED_VERSION,
  });
  if (!compiled.ok) throw documentErrorsException('proposed rule set', compiled.errors);
  return compiled.ruleSet;
}

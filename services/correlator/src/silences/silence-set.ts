import {
  activeSpan,
  AlertLike,
  inhibitedBy,
  InhibitRule,
  isActive as windowActive,
  LabelSet,
  Matcher,
  matchesAll,
  nextChange,
  TimeWindow,
} from '@vigil/matching';
import type { Silence, SilenceView } from '../alerts';

/** A maintenance window as the correlator keeps it in memory: parsed once, evaluated per event. */
export interface CompiledWindow {
  id: string;
  matchers: readonly Matcher[];
  window: TimeWindow;
}

export interface CompiledInhibitRule {
  id: string;
  rule: InhibitRule;
}

/** The first (by id, so every replica agrees) window active at `at` whose matchers all match. */
export function suppressingWindow(
  fields: LabelSet,
  windows: readonly CompiledWindow[],
  at: Date,
): string | null {
  // Matchers first: they are cheap, and most windows do not concern most alerts.
  const found = windows.find((w) => matchesAll(w.matchers, fields) && windowActive(w.window, at));
  return found?.id ?? null;
}

/** The active alert inhibiting `target` under the rules (Alertmanager's semantics), if any. */
export function inhibitingAlert(
  target: AlertLike,
  activeAlerts: readonly AlertLike[],
  rules: readonly CompiledInhibitRule[],
): string | null {
  if (!rules.length) return null;
  return (
    inhibitedBy(
      target,
      activeAlerts,
      rules.map((r) => r.rule),
    )?.sourceId ?? null
  );
}

/** Whether an alert with these fields can inhibit others: its activity changing needs a reconcile. */
export function isInhibitionSource(fields: LabelSet, rules: readonly CompiledInhibitRule[]): boolean {
  return rules.some((r) => matchesAll(r.rule.sourceMatchers, fields));
}

/** Whether an alert with these fields can be inhibited: only then are the active sources looked up. */
export function isInhibitionTarget(fields: LabelSet, rules: readonly CompiledInhibitRule[]): boolean {
  return rules.some((r) => matchesAll(r.rule.targetMatchers, fields));
}

/**
 * The silences in force, parsed, as one immutable set: what batches, commands and timers consult
 * (`SilenceView`), replaced whole when the definitions are reloaded.
 */
export class SilenceSet implements SilenceView {
  readonly empty: boolean;
  readonly inhibits: boolean;

  constructor(
    readonly windows: readonly CompiledWindow[],
    readonly rules: readonly CompiledInhibitRule[],
  ) {
    this.empty = !windows.length && !rules.length;
    this.inhibits = rules.length > 0;
  }

  suppressingWindow(fields: LabelSet, at: Date): string | null {
    return suppressingWindow(fields, this.windows, at);
  }

  inhibitingAlert(target: AlertLike, firing: readonly AlertLike[]): string | null {
    return inhibitingAlert(target, firing, this.rules);
  }

  isInhibitionSource(fields: LabelSet): boolean {
    return isInhibitionSource(fields, this.rules);
  }

  isInhibitionTarget(fields: LabelSet): boolean {
    return isInhibitionTarget(fields, this.rules);
  }

  window(id: string): CompiledWindow | undefined {
    return this.windows.find((w) => w.id === id);
  }
}

/** What silences an alert at `at`: a maintenance window, and an inhibiting active alert. */
export function silenceOf(
  alert: { id: string; fields: LabelSet },
  at: Date,
  windows: readonly CompiledWindow[],
  rules: readonly CompiledInhibitRule[],
  activeAlerts: readonly AlertLike[],
): Silence {
  return {
    suppressedBy: suppressingWindow(alert.fields, windows, at),
    inhibitedBy: inhibitingAlert(alert, activeAlerts, rules),
  };
}

/**
 * The timers of a window after `now`: `change` at its next start or end (`nextChange`, correct
 * across daylight-saving changes), `ending` the notice `noticeSeconds` before the end of the
 * occurrence active now (at once when less is left; none when the window is not active). `null`
 * cancels the timer.
 */
export function windowTimers(
  window: TimeWindow,
  now: Date,
  noticeSeconds: number,
): { change: Date | null; ending: Date | null } {
  const change = nextChange(window, now) ?? null;
  const span = activeSpan(window, now);
  if (!span || noticeSeconds <= 0) return { change, ending: null };
  const notice = new Date(Math.max(now.getTime(), span.end.getTime() - noticeSeconds * 1000));
  return { change, ending: notice < span.end ? notice : null };
}

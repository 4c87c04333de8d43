/**
 * Alertmanager-style matchers, inhibition rules and time windows, shared by the correlator
 * (silences, maintenance windows, inhibition, heartbeats, incident rules) and the notifier (routes,
 * mute and active intervals, on-call schedules). The field-error vocabulary and the wall-clock
 * conversion are public too: the services' own parsers built on these pieces report faults and read
 * local times the same way.
 */
export type { FieldError, Parsed } from './field-errors';
export { isRecord, show } from './field-errors';
export { MAX_DURATION_MINUTES, activeSpan, isActive, nextChange, parseTimeWindow } from './time-window';
export type { CronWindow, OneOffWindow, RRuleWindow, Span, TimeWindow } from './time-window';
export { instantOf, wallOf } from './wall-clock';
export { formatMatcher, labelValue, matches, matchesAll, parseMatcher, parseMatchers } from './matchers';
export type { LabelSet, Matcher } from './matchers';
export { inhibitedBy, parseInhibitRule } from './inhibition';
export type { AlertLike, InhibitRule, Inhibition } from './inhibition';

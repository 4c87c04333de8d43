export type { FieldError } from './errors';
export { MAX_DURATION_MINUTES, activeSpan, isActive, nextChange, parseTimeWindow } from './time-window';
export type { CronWindow, OneOffWindow, RRuleWindow, Span, TimeWindow } from './time-window';
export { formatMatcher, matches, matchesAll, parseMatcher, parseMatchers } from './matchers';
export type { LabelSet, Matcher } from './matchers';
export { inhibitedBy, parseInhibitRule } from './inhibition';
export type { AlertLike, InhibitRule, Inhibition } from './inhibition';

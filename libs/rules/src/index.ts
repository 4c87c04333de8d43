export * from './priority';
export type {
  ActionSet,
  EqualsValue,
  GroupDocument,
  LookupAction,
  OneOrMany,
  ReplaceAction,
  RuleDocument,
  RuleSetDocument,
  ScheduleDocument,
  ScheduleSelector,
  SelectorSet,
  Weekday,
} from './document';
export { ACTION_KEYS, SELECTOR_KEYS, WEEKDAYS } from './document';
export type { RuleError } from './errors';
export { CORE_FIELDS, READ_ONLY_FIELDS } from './fields';
export type { CoreField } from './fields';
export { parseRuleSet } from './parse';
export type { ParseResult, RuleSetSource } from './parse';
export { exportPantherRules, exportPantherRulesWithReport, parsePantherRules } from './panther';
export type { PantherExport, PantherImportOptions } from './panther';
export { PANTHER_FIELD_ALIASES } from './dialect';
export { serialiseRuleSet } from './serialise';
export { compileRuleSet, CompiledRuleSet, InvalidRuleSetError } from './compile';
export type { Classification, ClassifyContext, Explanation, RuleInfo } from './compile';
export { parseLookupTable } from './lookup';
export type { LookupTable, TableParseResult } from './lookup';
export type { FieldChange, RuleLocation, RuleTraceEntry, StopReason } from './trace';
export { DEFAULT_SCHEDULE_ZONE } from './schedule';

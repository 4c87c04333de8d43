import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsPlainObject } from '../decorators';
import { UUID_PATTERN } from '../limits';
import { ActorV1 } from './alert-commands.v1';

/** Limits of maintenance windows and inhibition rules. */
export const SILENCE_LIMITS = {
  nameLength: 200,
  commentLength: 4096,
  matcherLength: 1024,
  maxMatchers: 50,
  maxEqual: 20,
} as const;

/** A list of Alertmanager matcher strings (their syntax is checked by the correlator, libs/matching). */
export function IsMatcherList(): PropertyDecorator {
  // Applied in the order a stack of these decorators would be, so errors read the same.
  const decorators = [
    IsArray(),
    ArrayMaxSize(SILENCE_LIMITS.maxMatchers),
    IsString({ each: true }),
    Length(1, SILENCE_LIMITS.matcherLength, { each: true }),
  ];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/**
 * What every change to a maintenance window or an inhibition rule carries: who makes it. The
 * window's schedule and the matchers are checked by the correlator (libs/matching), which names the
 * field of each fault (`window.rrule`, `matchers[1]`); the contract checks their shape.
 */
abstract class SilenceWriteV1 extends ActorV1 {}

export class CreateMaintenanceWindowV1 extends SilenceWriteV1 {
  @Length(1, SILENCE_LIMITS.nameLength)
  @IsString()
  name!: string;

  /** Alertmanager matchers (`service="db"`, `labels.team=~"core|infra"`), all of which must match. */
  @IsMatcherList()
  matchers!: string[];

  /** What `parseTimeWindow` accepts: `{start, end}`, or `{rrule|cron, durationMinutes, timezone, from?, until?}`. */
  @IsPlainObject()
  window!: Record<string, unknown>;

  @IsOptional()
  @Length(0, SILENCE_LIMITS.commentLength)
  @IsString()
  comment?: string;
}

/** Replaces a window's definition (every field, as on create). */
export class UpdateMaintenanceWindowV1 extends CreateMaintenanceWindowV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;
}

export class CreateInhibitRuleV1 extends SilenceWriteV1 {
  @Length(1, SILENCE_LIMITS.nameLength)
  @IsString()
  name!: string;

  @IsMatcherList()
  sourceMatchers!: string[];

  @IsMatcherList()
  targetMatchers!: string[];

  /** Fields or label names whose values source and target must share (`node`, `cluster`). */
  @Length(1, SILENCE_LIMITS.nameLength, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(SILENCE_LIMITS.maxEqual)
  @IsArray()
  equal!: string[];

  @IsOptional()
  @Length(0, SILENCE_LIMITS.commentLength)
  @IsString()
  comment?: string;
}

export class UpdateInhibitRuleV1 extends CreateInhibitRuleV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;
}

/** Get one maintenance window or inhibition rule by id. */
export class GetSilenceV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;
}

export class DeleteSilenceV1 extends SilenceWriteV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;
}

/** Lists maintenance windows or inhibition rules (they are few: definitions, not events), all by default. */
export class ListSilencesV1 {
  /** Only those whose name contains this text (case-insensitive). */
  @IsOptional()
  @Length(1, SILENCE_LIMITS.nameLength)
  @IsString()
  nameContains?: string;
}

export const nameFilter = (request: ListSilencesV1) => (item: { name: string }) =>
  request.nameContains === undefined || item.name.toLowerCase().includes(request.nameContains.toLowerCase());

export interface MaintenanceWindowV1 {
  id: string;
  name: string;
  matchers: string[];
  window: Record<string, unknown>;
  comment: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Whether the window is active now, and when it next starts or ends (absent: never again). */
  active: boolean;
  nextChange?: string;
}

export interface InhibitRuleV1 {
  id: string;
  name: string;
  sourceMatchers: string[];
  targetMatchers: string[];
  equal: string[];
  comment: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeletedSilenceV1 {
  id: string;
  deleted: boolean;
}

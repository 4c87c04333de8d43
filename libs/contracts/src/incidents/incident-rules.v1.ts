import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsDefined,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsPlainObject } from '../decorators';
import { UUID_PATTERN } from '../limits';
import { ActorV1 } from '../alerts/alert-commands.v1';
import { IsMatcherList, SILENCE_LIMITS } from '../alerts/silences.v1';
import { INCIDENT_RESOLVE_POLICIES } from './incident-changed.v1';
import type { IncidentResolvePolicy } from './incident-changed.v1';

export const INCIDENT_RULE_LIMITS = {
  maxRules: 500,
  maxGroupBy: 20,
  maxWindowSeconds: 7 * 24 * 3600,
  maxThreshold: 10_000,
} as const;

/**
 * A correlation rule's definition. Matchers and fields are parsed by the correlator (libs/matching),
 * which names the field of each fault (`matchers[1]`, `topology.childField`).
 */
export class IncidentRuleDefinitionV1 {
  @Length(1, SILENCE_LIMITS.nameLength)
  @IsString()
  name!: string;

  /** Alertmanager matchers on the alert (`category="network"`); all must match. Empty: every alert. */
  @IsMatcherList()
  matchers!: string[];

  /** Alertmanager's `group_by`: alerts with equal values of these fields share an incident. */
  @Length(1, SILENCE_LIMITS.nameLength, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(INCIDENT_RULE_LIMITS.maxGroupBy)
  @IsArray()
  groupBy!: string[];

  /**
   * Topology from enrichment: `{parentField, childField}`, e.g. `{parentField: "node", childField:
   * "labels.host"}` groups a host's own alert (node = the host) with its services' alerts (whose
   * `host` label, set by a classifier lookup, names it).
   */
  @IsOptional()
  @IsPlainObject()
  topology?: { parentField: string; childField: string };

  /** An alert joins the group's live incident when it fires within this long of the last one to join. */
  @Max(INCIDENT_RULE_LIMITS.maxWindowSeconds)
  @Min(1)
  @IsInt()
  windowSeconds!: number;

  /** The incident opens only when this many alerts of the group fire within the window (default 1). */
  @IsOptional()
  @Max(INCIDENT_RULE_LIMITS.maxThreshold)
  @Min(1)
  @IsInt()
  threshold?: number;

  /** `all` (default): every member stopped firing; `first`: the first alert; `last`: the latest to join; `any`: any one. */
  @IsOptional()
  @IsIn(INCIDENT_RESOLVE_POLICIES)
  resolvePolicy?: IncidentResolvePolicy;

  /** A disabled rule groups nothing new; its live incidents still follow their alerts. */
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

abstract class RuleSetWriteV1 extends ActorV1 {
  /** Why; kept with the rule set version. */
  @IsOptional()
  @Length(0, SILENCE_LIMITS.commentLength)
  @IsString()
  comment?: string;
}

/** Adds a rule; rules are tried in order and the first that matches an alert groups it. */
export class CreateIncidentRuleV1 extends RuleSetWriteV1 {
  @IsDefined({ message: '$property is required' })
  @IsPlainObject()
  @ValidateNested()
  @Type(() => IncidentRuleDefinitionV1)
  rule!: IncidentRuleDefinitionV1;

  /** Where the rule goes in the order (0 = first); the end when absent. */
  @IsOptional()
  @Min(0)
  @IsInt()
  position?: number;
}

/** Replaces a rule's definition (every field, as on create); it keeps its id and place unless `position` says. */
export class UpdateIncidentRuleV1 extends CreateIncidentRuleV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;
}

export class DeleteIncidentRuleV1 extends RuleSetWriteV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;
}

export class GetIncidentRuleV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;
}

/** The rule set in force, or an older version of it. */
export class GetIncidentRuleSetV1 {
  @IsOptional()
  @Min(1)
  @IsInt()
  version?: number;
}

/** The rule set's versions, newest first. */
export class ListIncidentRuleVersionsV1 {
  @IsOptional()
  @Max(500)
  @Min(1)
  @IsInt()
  limit?: number;

  /** Only versions older than this one (paging back). */
  @IsOptional()
  @Min(1)
  @IsInt()
  before?: number;
}

/** Makes an older version's rules the rules in force again, as a new version. */
export class RollbackIncidentRulesV1 extends RuleSetWriteV1 {
  @Min(1)
  @IsInt()
  version!: number;
}

/** A rule as stored: its definition with defaults filled in. */
export interface IncidentRuleV1 {
  id: string;
  name: string;
  matchers: string[];
  groupBy: string[];
  topology?: { parentField: string; childField: string };
  windowSeconds: number;
  threshold: number;
  resolvePolicy: IncidentResolvePolicy;
  enabled: boolean;
}

export interface IncidentRuleSetVersionInfoV1 {
  /** 0 when no rule was ever saved. */
  version: number;
  author: string;
  comment: string | null;
  createdAt: string;
  rolledBackFrom: number | null;
}

export interface IncidentRuleSetV1 extends IncidentRuleSetVersionInfoV1 {
  rules: IncidentRuleV1[];
}

/** What a write answers: the rule it concerned (absent after a delete or rollback) and the new version. */
export interface IncidentRuleWriteV1 {
  version: number;
  rule?: IncidentRuleV1;
  deleted?: boolean;
}

import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsInt,
  IsObject,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { RuleSetSourceDto } from '../rules/rule-set.dto';

export const MAX_SAMPLE_EVENTS = 1000;
export const DEFAULT_HISTORY_EVENTS = 1000;
export const MAX_HISTORY_EVENTS = 10_000;

export class DryRunDto {
  /** A proposed rule set; without it, the active one. */
  @IsOptional()
  @ValidateNested()
  @Type(() => RuleSetSourceDto)
  rules?: RuleSetSourceDto;

  /** Accepted events, or producer-style ones (`{source, node, type, summary, severity}`). */
  @IsObject({ each: true, message: 'each event must be a JSON object' })
  @ArrayMaxSize(MAX_SAMPLE_EVENTS)
  @ArrayNotEmpty()
  @IsArray()
  events!: Record<string, unknown>[];
}

export class HistoryDryRunDto {
  @ValidateNested()
  @Type(() => RuleSetSourceDto)
  @IsDefined({ message: '$property is required: the proposed rule set' })
  rules!: RuleSetSourceDto;

  /** How many of the most recent accepted events to replay. */
  @IsOptional()
  @Max(MAX_HISTORY_EVENTS)
  @Min(1)
  @IsInt()
  limit?: number;
}

import { RULE_SET_FORMATS, type RuleSetFormat } from '@vigil/persistence';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { AUTHOR_MAX_LENGTH } from '../http/author';

export const COMMENT_MAX_LENGTH = 1024;

/** A rule set's text and how it is written. */
export class RuleSetSourceDto {
  @MinLength(1)
  @IsString()
  content!: string;

  @IsOptional()
  @IsIn(RULE_SET_FORMATS)
  format?: RuleSetFormat;
}

/** `PUT /api/v1/rules` and `POST /api/v1/rules/validate` with a JSON body. */
export class SaveRuleSetDto extends RuleSetSourceDto {
  @IsOptional()
  @MaxLength(AUTHOR_MAX_LENGTH)
  @MinLength(1)
  @IsString()
  author?: string;

  @IsOptional()
  @MaxLength(COMMENT_MAX_LENGTH)
  @IsString()
  comment?: string;
}

export class RollbackDto {
  @Min(1)
  @IsInt()
  version!: number;

  @IsOptional()
  @MaxLength(AUTHOR_MAX_LENGTH)
  @MinLength(1)
  @IsString()
  author?: string;

  @IsOptional()
  @MaxLength(COMMENT_MAX_LENGTH)
  @IsString()
  comment?: string;
}

export const SHOWN_FORMATS = ['yaml', 'json', 'panther'] as const;
export type ShownFormat = (typeof SHOWN_FORMATS)[number];

/** `?format=` of reads: Vigil's YAML or JSON, or Panther's server.rules.yml. */
export class ShowFormatQuery {
  @IsOptional()
  @IsIn(SHOWN_FORMATS)
  format?: ShownFormat;
}

/** `?format=` of a text body (PUT, validate): how the text is written. */
export class SaveQuery {
  @IsOptional()
  @IsIn(RULE_SET_FORMATS)
  format?: RuleSetFormat;

  @IsOptional()
  @MaxLength(COMMENT_MAX_LENGTH)
  @IsString()
  comment?: string;
}

/** `?format=` of an import: a Panther file, or Vigil's own text. */
export class ImportQuery {
  @IsOptional()
  @IsIn(SHOWN_FORMATS)
  format?: ShownFormat;

  /** The IANA zone Panther's server ran in, given to its schedules (Panther had none); default UTC. */
  @IsOptional()
  @MinLength(1)
  @IsString()
  timezone?: string;

  @IsOptional()
  @MaxLength(COMMENT_MAX_LENGTH)
  @IsString()
  comment?: string;
}

export class VersionsQuery {
  @IsOptional()
  @Max(1000)
  @Min(1)
  @IsInt()
  @Type(() => Number)
  limit?: number;

  /** Lists versions older than this one: the next page. */
  @IsOptional()
  @Min(1)
  @IsInt()
  @Type(() => Number)
  before?: number;
}

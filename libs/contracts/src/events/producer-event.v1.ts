import { IsDefined, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Category } from '../category';
import { IsCategory, IsLabelMap, IsPlainObject, IsSeverityInput, IsTimestamp } from '../decorators';
import { EVENT_ID_PATTERN, LIMITS, SOURCE_PATTERN } from '../limits';
import { validatePlain, ValidationResult } from '../validation';

export type Labels = Record<string, string>;
export type Attributes = Record<string, unknown>;

/**
 * The producer event, version 1: what applications and agents publish to `events.raw.<source>` or
 * POST to `/api/v1/events`. Severity arrives in any accepted spelling and is normalised at ingest.
 * Optional fields may be absent or null (null means absent). Keep this class,
 * `PRODUCER_EVENT_V1_SCHEMA` and docs/architecture.md in agreement (a test checks the first two).
 */
export class ProducerEventV1 {
  // class-validator runs a property's rules bottom-up and reports the first that fails, so the
  // type check sits last: a number where a string belongs reads "must be a string".
  @IsOptional()
  @Matches(EVENT_ID_PATTERN, { message: 'id must be printable ASCII without spaces' })
  @MaxLength(LIMITS.idLength)
  @IsString()
  id?: string;

  @IsDefined({ message: '$property is required' })
  @Matches(SOURCE_PATTERN, {
    message: 'source must start with a letter or digit and contain only letters, digits, "_" and "-"',
  })
  @MaxLength(LIMITS.sourceLength)
  @IsNotEmpty()
  @IsString()
  source!: string;

  @IsDefined({ message: '$property is required' })
  @MaxLength(LIMITS.nodeLength)
  @IsNotEmpty()
  @IsString()
  node!: string;

  @IsDefined({ message: '$property is required' })
  @MaxLength(LIMITS.typeLength)
  @IsNotEmpty()
  @IsString()
  type!: string;

  @IsDefined({ message: '$property is required' })
  @MaxLength(LIMITS.summaryLength)
  @IsNotEmpty()
  @IsString()
  summary!: string;

  @IsDefined({ message: '$property is required' })
  @IsSeverityInput()
  severity!: string | number;

  @IsOptional()
  @IsTimestamp()
  occurredAt?: string;

  @IsOptional()
  @IsCategory()
  category?: Category;

  @IsOptional()
  @MaxLength(LIMITS.contextLength)
  @IsNotEmpty()
  @IsString()
  service?: string;

  @IsOptional()
  @MaxLength(LIMITS.contextLength)
  @IsNotEmpty()
  @IsString()
  environment?: string;

  @IsOptional()
  @IsLabelMap()
  labels?: Labels;

  @IsOptional()
  @IsPlainObject()
  attributes?: Attributes;

  @IsOptional()
  @MaxLength(LIMITS.fingerprintLength)
  @IsNotEmpty()
  @IsString()
  fingerprint?: string;
}

export function validateProducerEvent(input: unknown): ValidationResult<ProducerEventV1> {
  return validatePlain(ProducerEventV1, input);
}

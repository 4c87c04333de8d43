import { LIMITS, SOURCE_PATTERN } from '@vigil/contracts';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

/** What a new API key is for: a name people recognise and the sources it may send as. */
export class CreateApiKeyDto {
  @MaxLength(128)
  @MinLength(1)
  @IsString()
  name!: string;

  @Matches(SOURCE_PATTERN, {
    each: true,
    message: 'each source must start with a letter or digit and contain only letters, digits, "_" and "-"',
  })
  @MaxLength(LIMITS.sourceLength, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(100)
  @ArrayNotEmpty()
  @IsArray()
  sources!: string[];

  @IsOptional()
  @Min(1)
  @IsInt()
  ratePerSecond?: number;
}

import { INCIDENT_STATUSES, IncidentStatus, SEVERITIES, Severity, UUID_PATTERN } from '@vigil/contracts';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { commaList } from '../pagination/comma-list';

/** Pending incidents (still gathering alerts towards a threshold) are internal: no filter shows them. */
export class ListIncidentsQuery {
  @IsOptional()
  @Transform(commaList)
  @IsIn(INCIDENT_STATUSES, { each: true })
  status?: IncidentStatus[];

  @IsOptional()
  @Transform(commaList)
  @IsIn(SEVERITIES, { each: true })
  severity?: Severity[];

  /** The correlation rule that grouped them. */
  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(50)
  @Matches(UUID_PATTERN, { each: true, message: 'each value in $property must be a UUID' })
  ruleId?: string[];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;

  /** `nextCursor` of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

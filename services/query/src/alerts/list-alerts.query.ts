import { ALERT_STATUSES, AlertStatus, PRIORITIES, Priority, SEVERITIES, Severity } from '@vigil/contracts';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { commaList } from '../pagination/comma-list';

export class ListAlertsQuery {
  @IsOptional()
  @Transform(commaList)
  @IsIn(ALERT_STATUSES, { each: true })
  status?: AlertStatus[];

  @IsOptional()
  @Transform(commaList)
  @IsIn(SEVERITIES, { each: true })
  severity?: Severity[];

  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  source?: string[];

  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  node?: string[];

  @IsOptional()
  @Transform(commaList)
  @IsIn(PRIORITIES, { each: true })
  priority?: Priority[];

  @IsOptional()
  @Transform(commaList)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  team?: string[];

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

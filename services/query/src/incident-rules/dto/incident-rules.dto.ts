import { PickType } from '@nestjs/swagger';
import { DeleteIncidentRuleV1 } from '@vigil/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Query strings are text: numbers are converted before the contract's rules apply. */
export class RuleSetQuery {
  /** An older version of the set; the one in force when absent. */
  @IsOptional()
  @Min(1)
  @IsInt()
  @Type(() => Number)
  version?: number;
}

export class RuleSetVersionsQuery {
  @IsOptional()
  @Max(500)
  @Min(1)
  @IsInt()
  @Type(() => Number)
  limit?: number;

  /** Only versions older than this one (the last `version` of the previous page). */
  @IsOptional()
  @Min(1)
  @IsInt()
  @Type(() => Number)
  before?: number;
}

/** A DELETE carries no body: `?actor=alice&comment=…`. */
export class DeleteIncidentRuleQuery extends PickType(DeleteIncidentRuleV1, ['actor', 'comment'] as const) {}

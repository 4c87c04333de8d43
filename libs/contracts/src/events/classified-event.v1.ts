import { Type } from 'class-transformer';
import {
  Equals,
  IsArray,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IMPACTS, PRIORITIES } from '../category';
import type { Category, Impact, Priority } from '../category';
import { LIMITS } from '../limits';
import { IsCategory, IsPlainObject, IsTimestamp } from '../decorators';
import { PipelineEventV1, SchemaIds } from './accepted-event.v1';

export class ClassificationV1 {
  /** The rule set that decided; `default` until the rules engine exists. */
  @IsString()
  ruleSet!: string;

  @IsOptional()
  @IsString()
  ruleSetVersion?: string;

  /** Ids of the rules that matched, in the order they ran (a rule's id is its `uuid`, else its name). */
  @IsArray()
  @IsString({ each: true })
  matchedRules!: string[];
}

/** An accepted event with its meaning decided. Published to `events.classified.<category>`. */
export class ClassifiedEventV1 extends PipelineEventV1 {
  @Equals(SchemaIds.ClassifiedEventV1)
  schema!: typeof SchemaIds.ClassifiedEventV1;

  @IsCategory()
  category!: Category;

  @IsIn(PRIORITIES)
  priority!: Priority;

  @IsIn(IMPACTS)
  impact!: Impact;

  /** The team the event is directed to (rules, lookup tables). */
  @IsOptional()
  @MaxLength(LIMITS.contextLength)
  @IsNotEmpty()
  @IsString()
  team?: string;

  /** A person or role who owns it, when rules say. */
  @IsOptional()
  @MaxLength(LIMITS.contextLength)
  @IsNotEmpty()
  @IsString()
  owner?: string;

  @IsTimestamp()
  classifiedAt!: string;

  @IsDefined({ message: '$property is required' })
  @IsPlainObject()
  @ValidateNested()
  @Type(() => ClassificationV1)
  classification!: ClassificationV1;
}

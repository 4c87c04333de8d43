import { Type } from 'class-transformer';
import { Equals, IsDefined, IsArray, IsOptional, IsString, ValidateNested } from 'class-validator';
import type { Category } from '../category';
import { IsCategory, IsPlainObject, IsTimestamp } from '../decorators';
import { PipelineEventV1, SchemaIds } from './accepted-event.v1';

export class ClassificationV1 {
  /** The rule set that decided; `default` until the rules engine exists. */
  @IsString()
  ruleSet!: string;

  @IsOptional()
  @IsString()
  ruleSetVersion?: string;

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

  @IsTimestamp()
  classifiedAt!: string;

  @IsDefined({ message: '$property is required' })
  @IsPlainObject()
  @ValidateNested()
  @Type(() => ClassificationV1)
  classification!: ClassificationV1;
}

import { PickType } from '@nestjs/swagger';
import { DeleteSilenceV1, SILENCE_LIMITS } from '@vigil/contracts';
import { IsOptional, IsString, Length } from 'class-validator';

/** `?name=` lists only those whose name contains it (case-insensitive). */
export class ListSilencesQuery {
  @IsOptional()
  @Length(1, SILENCE_LIMITS.nameLength)
  @IsString()
  name?: string;
}

/** A DELETE carries no body: who deletes comes in the query string, `?actor=alice`. */
export class DeleteSilenceQuery extends PickType(DeleteSilenceV1, ['actor'] as const) {}

import { LOOKUP_TABLE_FORMATS, type LookupTableFormat } from '../storage/lookup-table-version.entity';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { AUTHOR_MAX_LENGTH } from '../http/author';

/** Table names as rules write them (`lookup: {table: owners}`) and as the database checks them. */
export const TABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** `PUT /api/v1/tables/:name` with a JSON body that carries the table as text. */
export class UploadTableDto {
  @MinLength(1)
  @IsString()
  content!: string;

  @IsOptional()
  @IsIn(LOOKUP_TABLE_FORMATS)
  format?: LookupTableFormat;

  /** The key column; `?key=` says the same. */
  @IsOptional()
  @MinLength(1)
  @IsString()
  key?: string;

  @IsOptional()
  @MaxLength(AUTHOR_MAX_LENGTH)
  @MinLength(1)
  @IsString()
  author?: string;
}

export class UploadTableQuery {
  /** The column rows are looked up by; without it, the engine's default (the first column). */
  @IsOptional()
  @MinLength(1)
  @IsString()
  key?: string;

  /** How a text body is written: `csv` (the default) or `json`. */
  @IsOptional()
  @IsIn(LOOKUP_TABLE_FORMATS)
  format?: LookupTableFormat;
}

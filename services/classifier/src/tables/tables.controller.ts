import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { AdminTokenGuard } from '@vigil/runtime';
import { resolveAuthor } from '../http/author';
import { AUTHOR_HEADER, textOrJsonBody } from '../http/request-body';
import { UploadTableDto, UploadTableQuery } from './lookup-table.dto';
import { LookupTablesService } from './lookup-tables.service';
import type { TableRows, TableUpload, TableView } from './lookup-tables.service';

/**
 * Lookup tables: CSV (`content-type: text/csv`) or JSON, a JSON array of rows sent as is or
 * `{content, format, key, author}`. Each upload replaces the table as a new version.
 */
@UseGuards(AdminTokenGuard)
@Controller('api/v1/tables')
export class TablesController {
  constructor(private readonly tables: LookupTablesService) {}

  @Put(':name')
  @HttpCode(201)
  upload(
    @Param('name') name: string,
    @Body() body: unknown,
    @Query() query: UploadTableQuery,
    @Headers(AUTHOR_HEADER) author: string | undefined,
  ): Promise<TableView> {
    return this.tables.upload(tableUpload(name, body, query, author));
  }

  @Get()
  list(): Promise<{ tables: TableView[] }> {
    return this.tables.list();
  }

  @Get(':name')
  rows(@Param('name') name: string): Promise<TableRows> {
    return this.tables.rows(name);
  }

  @Delete(':name')
  @HttpCode(200)
  delete(
    @Param('name') name: string,
    @Headers(AUTHOR_HEADER) author: string | undefined,
  ): Promise<{ name: string; version: number; deleted: true }> {
    return this.tables.delete(name, resolveAuthor(undefined, author));
  }
}

function tableUpload(
  name: string,
  body: unknown,
  query: UploadTableQuery,
  authorHeader: string | undefined,
): TableUpload {
  // A JSON array is the rows themselves: the easiest thing to send from a script.
  if (Array.isArray(body)) {
    return {
      name,
      content: JSON.stringify(body, null, 2),
      format: 'json',
      keyColumn: query.key,
      author: resolveAuthor(undefined, authorHeader),
    };
  }
  const parsed = textOrJsonBody(body, UploadTableDto, 'lookup table');
  if ('text' in parsed) {
    return {
      name,
      content: parsed.text,
      format: query.format ?? 'csv',
      keyColumn: query.key,
      author: resolveAuthor(undefined, authorHeader),
    };
  }
  const request = parsed.json;
  return {
    name,
    content: request.content,
    format: request.format ?? query.format ?? 'csv',
    keyColumn: request.key ?? query.key,
    author: resolveAuthor(request.author, authorHeader),
  };
}

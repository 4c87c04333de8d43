import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { AdminTokenGuard } from '@vigil/runtime';
import type { FastifyReply } from 'fastify';
import { resolveAuthor } from '../http/author';
import { PositiveIntPipe } from '../http/params';
import { AUTHOR_HEADER, COMMENT_HEADER, headerValue, textOrJsonBody } from '../http/request-body';
import {
  ImportQuery,
  RollbackDto,
  SaveQuery,
  SaveRuleSetDto,
  ShowFormatQuery,
  ShownFormat,
  VersionsQuery,
} from './rule-set.dto';
import { RuleSetService } from './rule-set.service';
import type {
  RuleSetSubmission,
  RuleSetView,
  SavedVersion,
  ValidRuleSet,
  VersionDetail,
  VersionView,
} from './rule-set.service';

const CONTENT_TYPES: Record<ShownFormat, string> = {
  yaml: 'application/yaml; charset=utf-8',
  panther: 'application/yaml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const DEFAULT_VERSIONS_PAGE = 100;

/**
 * The classifier's one rule set: a linear history of versions, the newest active. Bodies are the
 * rule set as YAML text (`content-type: application/yaml`) or JSON `{content, format, author,
 * comment}`; the author may also come from `X-Vigil-Author`.
 */
@UseGuards(AdminTokenGuard)
@Controller('api/v1/rules')
export class RulesController {
  constructor(private readonly rules: RuleSetService) {}

  @Get()
  active(@Query() query: ShowFormatQuery): Promise<RuleSetView> {
    return this.rules.active(query.format);
  }

  @Put()
  @HttpCode(201)
  save(
    @Body() body: unknown,
    @Query() query: SaveQuery,
    @Headers(AUTHOR_HEADER) author: string | undefined,
    @Headers(COMMENT_HEADER) comment: string | undefined,
  ): Promise<SavedVersion> {
    return this.rules.save(submission(body, query, author, comment));
  }

  /** The checks of a save, without saving. */
  @Post('validate')
  @HttpCode(200)
  validate(@Body() body: unknown, @Query() query: SaveQuery): ValidRuleSet {
    const { content, format } = submission(body, query, undefined, undefined);
    return this.rules.validate(content, format);
  }

  @Get('versions')
  versions(@Query() query: VersionsQuery): Promise<{ active: number | null; versions: VersionView[] }> {
    return this.rules.versions(query.limit ?? DEFAULT_VERSIONS_PAGE, query.before);
  }

  @Get('versions/:version')
  version(@Param('version', new PositiveIntPipe('version')) version: number): Promise<VersionDetail> {
    return this.rules.version(version);
  }

  @Post('rollback')
  @HttpCode(201)
  rollback(
    @Body() request: RollbackDto,
    @Headers(AUTHOR_HEADER) author: string | undefined,
  ): Promise<SavedVersion> {
    return this.rules.rollback(request.version, resolveAuthor(request.author, author), request.comment);
  }

  /** `?format=panther` (the default): a Panther server.rules.yml; `yaml`/`json`: Vigil's own. */
  @Post('import')
  @HttpCode(201)
  import(
    @Body() body: unknown,
    @Query() query: ImportQuery,
    @Headers(AUTHOR_HEADER) author: string | undefined,
    @Headers(COMMENT_HEADER) comment: string | undefined,
  ): Promise<SavedVersion> {
    const format = query.format ?? 'panther';
    if (format !== 'panther') {
      return this.rules.save(submission(body, { comment: query.comment, format }, author, comment));
    }
    const request = submission(body, { comment: query.comment, format: 'yaml' }, author, comment);
    return this.rules.importPanther(
      request.content,
      request.author,
      request.comment ?? undefined,
      query.timezone,
    );
  }

  /** The active rule set as a file: Vigil YAML (default) or JSON, or Panther's server.rules.yml. */
  @Get('export')
  async export(
    @Query() query: ShowFormatQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const format = query.format ?? 'yaml';
    const text = await this.rules.exportText(format);
    void reply.header('content-type', CONTENT_TYPES[format]);
    return text;
  }
}

function submission(
  body: unknown,
  query: { format?: RuleSetSubmission['format']; comment?: string },
  authorHeader: string | undefined,
  commentHeader: string | undefined,
): RuleSetSubmission {
  const parsed = textOrJsonBody(body, SaveRuleSetDto, 'rule set');
  const comment = headerValue(commentHeader) ?? query.comment ?? null;
  if ('text' in parsed) {
    return {
      content: parsed.text,
      format: query.format ?? 'yaml',
      author: resolveAuthor(undefined, authorHeader),
      comment,
    };
  }
  const request = parsed.json;
  return {
    content: request.content,
    format: request.format ?? query.format ?? 'yaml',
    author: resolveAuthor(request.author, authorHeader),
    comment: request.comment ?? comment,
  };
}

import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CreateIncidentRuleV1,
  IncidentRuleSetV1,
  IncidentRuleSetVersionInfoV1,
  IncidentRuleV1,
  IncidentRuleWriteV1,
  RollbackIncidentRulesV1,
  RpcSubjects,
} from '@vigil/contracts';
import { BodyExample, CorrelatorResponses } from '../operator/api-docs';
import { CorrelatorRpc } from '../operator/correlator-rpc.service';
import { OperatorWrite } from '../operator/operator-write.decorator';
import { DeleteIncidentRuleQuery, RuleSetQuery, RuleSetVersionsQuery } from './dto/incident-rules.dto';

const RULE_EXAMPLE = {
  actor: 'alice',
  comment: 'group database alerts per node',
  position: 0,
  rule: {
    name: 'db per node',
    matchers: ['category="database"'],
    groupBy: ['node'],
    windowSeconds: 300,
    threshold: 2,
    resolvePolicy: 'all',
  },
};

/**
 * Correlation rules: one ordered set, versioned by the correlator (every write is a new version;
 * the first rule that matches an alert groups it).
 */
@ApiTags('incident rules')
@Controller('api/v1/incident-rules')
export class IncidentRulesController {
  constructor(private readonly correlator: CorrelatorRpc) {}

  @Get()
  @ApiOperation({ summary: 'The rule set in force (`?version=` for an older one)' })
  @CorrelatorResponses()
  ruleSet(@Query() query: RuleSetQuery): Promise<IncidentRuleSetV1> {
    return this.correlator.request(
      RpcSubjects.IncidentRuleSetGet,
      query.version === undefined ? {} : { version: query.version },
    );
  }

  @Get('versions')
  @ApiOperation({ summary: 'The rule set versions, newest first (`?limit=`, `?before=` to page back)' })
  @CorrelatorResponses()
  versions(@Query() query: RuleSetVersionsQuery): Promise<IncidentRuleSetVersionInfoV1[]> {
    return this.correlator.request(RpcSubjects.IncidentRuleSetVersions, {
      ...(query.limit !== undefined && { limit: query.limit }),
      ...(query.before !== undefined && { before: query.before }),
    });
  }

  @Post('rollback')
  @HttpCode(200)
  @OperatorWrite()
  @ApiOperation({ summary: "Make an older version's rules the rules in force again, as a new version" })
  @BodyExample({ actor: 'alice', version: 3, comment: 'the new rule grouped too much' })
  @CorrelatorResponses()
  rollback(@Body() body: RollbackIncidentRulesV1): Promise<IncidentRuleSetV1> {
    return this.correlator.request(RpcSubjects.IncidentRuleSetRollback, body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One rule of the set in force' })
  @CorrelatorResponses()
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<IncidentRuleV1> {
    return this.correlator.request(RpcSubjects.IncidentRuleGet, { id });
  }

  @Post()
  @OperatorWrite()
  @ApiOperation({ summary: 'Add a rule (at `position`, 0 = first; the end when absent)' })
  @BodyExample(RULE_EXAMPLE)
  @CorrelatorResponses()
  create(@Body() body: CreateIncidentRuleV1): Promise<IncidentRuleWriteV1> {
    return this.correlator.request(RpcSubjects.IncidentRuleCreate, body);
  }

  @Put(':id')
  @OperatorWrite()
  @ApiOperation({ summary: "Replace a rule's definition; it keeps its place unless `position` says" })
  @BodyExample(RULE_EXAMPLE)
  @CorrelatorResponses()
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CreateIncidentRuleV1,
  ): Promise<IncidentRuleWriteV1> {
    return this.correlator.request(RpcSubjects.IncidentRuleUpdate, { ...body, id });
  }

  @Delete(':id')
  @OperatorWrite()
  @ApiOperation({ summary: 'Remove a rule (`?actor=`, optional `?comment=`)' })
  @CorrelatorResponses()
  delete(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DeleteIncidentRuleQuery,
  ): Promise<IncidentRuleWriteV1> {
    return this.correlator.request(RpcSubjects.IncidentRuleDelete, { ...query, id });
  }
}

import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateInhibitRuleV1, DeletedSilenceV1, InhibitRuleV1, RpcSubjects } from '@vigil/contracts';
import { BodyExample, CorrelatorResponses } from '../operator/api-docs';
import { CorrelatorRpc } from '../operator/correlator-rpc.service';
import { OperatorWrite } from '../operator/operator-write.decorator';
import { DeleteSilenceQuery, ListSilencesQuery } from './dto/silence.dto';

const RULE_EXAMPLE = {
  actor: 'alice',
  name: 'node down mutes its disks',
  sourceMatchers: ['type="NodeDown"'],
  targetMatchers: ['type="DiskFull"'],
  equal: ['node'],
};

/**
 * Inhibition rules (Alertmanager's): while a source alert fires, matching targets that share the
 * `equal` fields are suppressed. Owned by the correlator.
 */
@ApiTags('inhibition rules')
@Controller('api/v1/inhibit-rules')
export class InhibitRulesController {
  constructor(private readonly correlator: CorrelatorRpc) {}

  @Get()
  @ApiOperation({ summary: 'Every inhibition rule (`?name=` filters by a part of the name)' })
  @CorrelatorResponses()
  list(@Query() query: ListSilencesQuery): Promise<InhibitRuleV1[]> {
    return this.correlator.request(
      RpcSubjects.InhibitRuleList,
      query.name === undefined ? {} : { nameContains: query.name },
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One inhibition rule' })
  @CorrelatorResponses()
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<InhibitRuleV1> {
    return this.correlator.request(RpcSubjects.InhibitRuleGet, { id });
  }

  @Post()
  @OperatorWrite()
  @ApiOperation({ summary: 'Create an inhibition rule' })
  @BodyExample(RULE_EXAMPLE)
  @CorrelatorResponses()
  create(@Body() body: CreateInhibitRuleV1): Promise<InhibitRuleV1> {
    return this.correlator.request(RpcSubjects.InhibitRuleCreate, body);
  }

  @Put(':id')
  @OperatorWrite()
  @ApiOperation({ summary: 'Replace an inhibition rule (every field, as on create)' })
  @BodyExample(RULE_EXAMPLE)
  @CorrelatorResponses()
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CreateInhibitRuleV1,
  ): Promise<InhibitRuleV1> {
    return this.correlator.request(RpcSubjects.InhibitRuleUpdate, { ...body, id });
  }

  @Delete(':id')
  @OperatorWrite()
  @ApiOperation({ summary: 'Delete an inhibition rule (`?actor=` says who)' })
  @CorrelatorResponses()
  delete(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DeleteSilenceQuery,
  ): Promise<DeletedSilenceV1> {
    return this.correlator.request(RpcSubjects.InhibitRuleDelete, { id, actor: query.actor });
  }
}

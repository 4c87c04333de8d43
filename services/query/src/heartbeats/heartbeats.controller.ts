import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateHeartbeatV1, DeletedSilenceV1, HeartbeatV1, RpcSubjects } from '@vigil/contracts';
import { BodyExample, CorrelatorResponses } from '../operator/api-docs';
import { CorrelatorRpc } from '../operator/correlator-rpc.service';
import { OperatorWrite } from '../operator/operator-write.decorator';
import { DeleteSilenceQuery, ListSilencesQuery } from '../silences/dto/silence.dto';

const HEARTBEAT_EXAMPLE = {
  actor: 'alice',
  name: 'nightly backup',
  matchers: ['source="backup"', 'type="BackupDone"'],
  intervalSeconds: 90000,
  schedule: { cron: '0 1 * * *', durationMinutes: 180, timezone: 'Europe/Berlin' },
  severity: 'major',
  labels: { team: 'storage' },
};

/**
 * Heartbeats (missing-event detection), owned by the correlator: when no matching event arrives
 * within `intervalSeconds`, a `HeartbeatMissing` alert opens until one does.
 */
@ApiTags('heartbeats')
@Controller('api/v1/heartbeats')
export class HeartbeatsController {
  constructor(private readonly correlator: CorrelatorRpc) {}

  @Get()
  @ApiOperation({ summary: 'Every heartbeat with its state (`?name=` filters by a part of the name)' })
  @CorrelatorResponses()
  list(@Query() query: ListSilencesQuery): Promise<HeartbeatV1[]> {
    return this.correlator.request(
      RpcSubjects.HeartbeatList,
      query.name === undefined ? {} : { nameContains: query.name },
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One heartbeat: its state, last event and next deadline' })
  @CorrelatorResponses()
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<HeartbeatV1> {
    return this.correlator.request(RpcSubjects.HeartbeatGet, { id });
  }

  @Post()
  @OperatorWrite()
  @ApiOperation({ summary: 'Create a heartbeat' })
  @BodyExample(HEARTBEAT_EXAMPLE)
  @CorrelatorResponses()
  create(@Body() body: CreateHeartbeatV1): Promise<HeartbeatV1> {
    return this.correlator.request(RpcSubjects.HeartbeatCreate, body);
  }

  @Put(':id')
  @OperatorWrite()
  @ApiOperation({
    summary: "Replace a heartbeat's definition (every field, as on create); its state is kept",
  })
  @BodyExample(HEARTBEAT_EXAMPLE)
  @CorrelatorResponses()
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CreateHeartbeatV1,
  ): Promise<HeartbeatV1> {
    return this.correlator.request(RpcSubjects.HeartbeatUpdate, { ...body, id });
  }

  @Delete(':id')
  @OperatorWrite()
  @ApiOperation({ summary: 'Delete a heartbeat (`?actor=` says who)' })
  @CorrelatorResponses()
  delete(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DeleteSilenceQuery,
  ): Promise<DeletedSilenceV1> {
    return this.correlator.request(RpcSubjects.HeartbeatDelete, { id, actor: query.actor });
  }
}

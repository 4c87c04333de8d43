import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CreateMaintenanceWindowV1,
  DeletedSilenceV1,
  MaintenanceWindowV1,
  RpcSubjects,
} from '@vigil/contracts';
import { BodyExample, CorrelatorResponses } from '../operator/api-docs';
import { CorrelatorRpc } from '../operator/correlator-rpc.service';
import { OperatorWrite } from '../operator/operator-write.decorator';
import { DeleteSilenceQuery, ListSilencesQuery } from './dto/silence.dto';

const WINDOW_EXAMPLE = {
  actor: 'alice',
  name: 'db patching',
  matchers: ['service="db"', 'environment=~"prod|staging"'],
  window: { rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2', durationMinutes: 120, timezone: 'Europe/Berlin' },
  comment: 'weekly patch window',
};

/**
 * Maintenance windows, owned by the correlator: matching alerts are suppressed while a window is
 * active. The correlator parses the schedule and matchers and names each fault's field.
 */
@ApiTags('maintenance windows')
@Controller('api/v1/maintenance-windows')
export class MaintenanceWindowsController {
  constructor(private readonly correlator: CorrelatorRpc) {}

  @Get()
  @ApiOperation({ summary: 'Every maintenance window (`?name=` filters by a part of the name)' })
  @CorrelatorResponses()
  list(@Query() query: ListSilencesQuery): Promise<MaintenanceWindowV1[]> {
    return this.correlator.request(
      RpcSubjects.MaintenanceWindowList,
      query.name === undefined ? {} : { nameContains: query.name },
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'One maintenance window, whether it is active and when it next changes' })
  @CorrelatorResponses()
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<MaintenanceWindowV1> {
    return this.correlator.request(RpcSubjects.MaintenanceWindowGet, { id });
  }

  @Post()
  @OperatorWrite()
  @ApiOperation({
    summary: 'Create a maintenance window',
    description:
      '`window` is `{start, end}` (RFC 3339), or `{rrule | cron, durationMinutes, timezone, from?, until?}`.',
  })
  @BodyExample(WINDOW_EXAMPLE)
  @CorrelatorResponses()
  create(@Body() body: CreateMaintenanceWindowV1): Promise<MaintenanceWindowV1> {
    return this.correlator.request(RpcSubjects.MaintenanceWindowCreate, body);
  }

  @Put(':id')
  @OperatorWrite()
  @ApiOperation({ summary: 'Replace a maintenance window (every field, as on create)' })
  @BodyExample(WINDOW_EXAMPLE)
  @CorrelatorResponses()
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: CreateMaintenanceWindowV1,
  ): Promise<MaintenanceWindowV1> {
    return this.correlator.request(RpcSubjects.MaintenanceWindowUpdate, { ...body, id });
  }

  @Delete(':id')
  @OperatorWrite()
  @ApiOperation({ summary: 'Delete a maintenance window (`?actor=` says who)' })
  @CorrelatorResponses()
  delete(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: DeleteSilenceQuery,
  ): Promise<DeletedSilenceV1> {
    return this.correlator.request(RpcSubjects.MaintenanceWindowDelete, { id, actor: query.actor });
  }
}

import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IncidentsService } from './incidents.service';
import { ListIncidentsQuery } from './list-incidents.query';

/** Incidents read straight from Postgres, like alerts. Pending incidents are not shown. */
@ApiTags('incidents')
@Controller('api/v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @ApiOperation({
    summary: 'Incidents, newest opening first',
    description:
      'Filters: `status` (open, acknowledged, resolved), `severity`, `ruleId` (comma lists); `limit` (1–500, default 50); `cursor` = `nextCursor` of the previous page.',
  })
  list(@Query() query: ListIncidentsQuery) {
    return this.incidents.list(query);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Every change of the incident, oldest first' })
  @ApiResponse({ status: 404, description: 'no such incident' })
  history(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.incidents.history(id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One incident with its member alerts, in the order they joined' })
  @ApiResponse({ status: 404, description: 'no such incident' })
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.incidents.get(id);
  }
}

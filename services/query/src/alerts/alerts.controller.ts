import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { AlertsService } from './alerts.service';
import { ListAlertsQuery } from './list-alerts.query';

@Controller('api/v1/alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  /** Filters: status, severity, source, node (comma lists); `limit`; `cursor` from the previous page. */
  @Get()
  list(@Query() query: ListAlertsQuery) {
    return this.alerts.list(query);
  }

  /** Every change of the alert (event-, command- and timer-driven), oldest first. */
  @Get(':id/history')
  history(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.alerts.history(id);
  }

  /** The alert with its most recent occurrences. */
  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.alerts.get(id);
  }
}

import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from '@vigil/runtime';
import { DryRunDto, HistoryDryRunDto } from './dry-run.dto';
import { DryRunService } from './dry-run.service';
import type { DryRunReport, HistoryReport } from './dry-run.service';

@UseGuards(AdminTokenGuard)
@Controller('api/v1/rules/dry-run')
export class DryRunController {
  constructor(private readonly dryRun: DryRunService) {}

  /** `{rules?: {content, format}, events: [...]}` → per event its output and the trace. */
  @Post()
  @HttpCode(200)
  run(@Body() request: DryRunDto): DryRunReport {
    return this.dryRun.run(request);
  }

  /** `{rules: {content, format}, limit?}` → what the proposed set would change on recent traffic. */
  @Post('history')
  @HttpCode(200)
  history(@Body() request: HistoryDryRunDto): Promise<HistoryReport> {
    return this.dryRun.replayHistory(request);
  }
}

import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateMaintenanceWindowV1,
  DeletedSilenceV1,
  DeleteSilenceV1,
  GetSilenceV1,
  ListSilencesV1,
  nameFilter,
  MaintenanceWindowV1,
  RpcSubjects,
  UpdateMaintenanceWindowV1,
} from '@vigil/contracts';
import { InvalidMessageError, RpcFailure } from '@vigil/messaging';
import { isActive, nextChange } from '@vigil/matching';
import { parseWindowDefinition } from './silence-rules';
import { SilencesRepository } from './silences.repository';
import { SilenceTimerService } from './silence-timer.service';
import type { MaintenanceWindowRow } from './silences.rows';

export function windowView(row: MaintenanceWindowRow, now = new Date()): MaintenanceWindowV1 {
  const parsed = parseWindowDefinition(row.matchers, row.window);
  const next = parsed.ok ? nextChange(parsed.window, now) : undefined;
  return {
    id: row.id,
    name: row.name,
    matchers: row.matchers,
    window: row.window,
    comment: row.comment,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    active: parsed.ok && isActive(parsed.window, now),
    ...(next && { nextChange: next.toISOString() }),
  };
}

/**
 * Maintenance windows over NATS request/reply (`RpcSubjects.MaintenanceWindow*`). The contract
 * checks the shape; the window and matchers are parsed here, each fault named by its field
 * (`window.rrule`, `matchers[1]`). A change takes effect through a `window_change` timer due at
 * once (any replica applies it to firing alerts), and this replica's memory at once.
 */
@Controller()
export class MaintenanceWindowsHandler {
  constructor(
    private readonly repository: SilencesRepository,
    private readonly timers: SilenceTimerService,
  ) {}

  @MessagePattern(RpcSubjects.MaintenanceWindowCreate)
  create(@Payload() request: CreateMaintenanceWindowV1): Promise<MaintenanceWindowV1> {
    return this.save(randomUUID(), request, request.actor);
  }

  @MessagePattern(RpcSubjects.MaintenanceWindowUpdate)
  update(@Payload() request: UpdateMaintenanceWindowV1): Promise<MaintenanceWindowV1> {
    return this.save(request.id, request, null);
  }

  @MessagePattern(RpcSubjects.MaintenanceWindowGet)
  async get(@Payload() request: GetSilenceV1): Promise<MaintenanceWindowV1> {
    const row = await this.repository.getWindow(request.id);
    if (!row) throw new RpcFailure('not_found', `maintenance window ${request.id} not found`);
    return windowView(row);
  }

  @MessagePattern(RpcSubjects.MaintenanceWindowList)
  async list(@Payload() request: ListSilencesV1): Promise<MaintenanceWindowV1[]> {
    const { windows } = await this.repository.loadAll();
    const now = new Date();
    return windows.filter(nameFilter(request)).map((w) => windowView(w, now));
  }

  @MessagePattern(RpcSubjects.MaintenanceWindowDelete)
  async delete(@Payload() request: DeleteSilenceV1): Promise<DeletedSilenceV1> {
    const deleted = await this.repository.deleteWindow(request.id);
    if (!deleted) throw new RpcFailure('not_found', `maintenance window ${request.id} not found`);
    await this.timers.refresh();
    return { id: request.id, deleted };
  }

  private async save(
    id: string,
    request: CreateMaintenanceWindowV1,
    actor: string | null,
  ): Promise<MaintenanceWindowV1> {
    const parsed = parseWindowDefinition(request.matchers, request.window);
    if (!parsed.ok) throw new InvalidMessageError(parsed.errors);
    const row = await this.repository.saveWindow(
      id,
      {
        name: request.name,
        matchers: request.matchers,
        window: request.window,
        comment: request.comment ?? null,
      },
      actor,
    );
    if (!row) throw new RpcFailure('not_found', `maintenance window ${id} not found`);
    await this.timers.refresh();
    return windowView(row);
  }
}

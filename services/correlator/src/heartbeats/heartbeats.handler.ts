import { randomUUID } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CreateHeartbeatV1,
  DeletedSilenceV1,
  DeleteSilenceV1,
  GetSilenceV1,
  HeartbeatState,
  HeartbeatV1,
  ListSilencesV1,
  nameFilter,
  RpcSubjects,
  UpdateHeartbeatV1,
} from '@vigil/contracts';
import { InvalidMessageError, RpcFailure } from '@vigil/messaging';
import { deadlineAfter, expectedAt, Heartbeat } from '../domain/heartbeats';
import { CorrelationService } from '../alerts';
import { recoveryEvent } from './heartbeat-events';
import { HeartbeatMonitorService } from './heartbeat-monitor.service';
import { HeartbeatMetrics } from './heartbeat.metrics';
import { HeartbeatRegistry, parseDefinition } from './heartbeat-registry';
import { HeartbeatsRepository } from './heartbeats.repository';
import type { HeartbeatDefinition, HeartbeatRow } from './heartbeats.rows';

function stateAt(row: HeartbeatRow, heartbeat: Heartbeat | undefined, now: Date): HeartbeatState {
  if (row.missingSince) return 'missing';
  if (heartbeat && !expectedAt(heartbeat, now)) return 'outside_schedule';
  return row.lastSeenAt ? 'ok' : 'waiting';
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function heartbeatView(
  row: HeartbeatRow,
  heartbeat: Heartbeat | undefined,
  now = new Date(),
): HeartbeatV1 {
  return {
    id: row.id,
    name: row.name,
    matchers: row.matchers,
    intervalSeconds: row.intervalSeconds,
    schedule: row.schedule,
    severity: row.severity,
    node: row.node,
    service: row.service,
    labels: row.labels,
    comment: row.comment,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    state: stateAt(row, heartbeat, now),
    lastSeenAt: iso(row.lastSeenAt),
    deadlineAt: iso(row.deadlineAt),
    missingSince: iso(row.missingSince),
    alertId: row.missingSince ? row.alertId : null,
  };
}

function definitionOf(request: CreateHeartbeatV1): HeartbeatDefinition {
  return {
    name: request.name,
    matchers: request.matchers,
    intervalSeconds: request.intervalSeconds,
    schedule: request.schedule ?? null,
    severity: request.severity ?? 'major',
    node: request.node ?? null,
    service: request.service ?? null,
    labels: request.labels ?? {},
    comment: request.comment ?? null,
  };
}

/**
 * Heartbeats over NATS request/reply (`RpcSubjects.Heartbeat*`). The contract checks the shape;
 * the matchers and schedule are parsed here, each fault named by its field (`matchers[1]`,
 * `schedule.rrule`). A new heartbeat waits for its first event for one interval from its creation.
 * An update replaces the definition and keeps the state: a miss stands until an event comes, and
 * otherwise the deadline is worked out again from the last event. Deleting a missing heartbeat
 * resolves its alert in the same transaction.
 */
@Controller()
export class HeartbeatsHandler {
  constructor(
    private readonly repository: HeartbeatsRepository,
    private readonly registry: HeartbeatRegistry,
    private readonly monitor: HeartbeatMonitorService,
    private readonly correlation: CorrelationService,
    private readonly metrics: HeartbeatMetrics,
  ) {}

  @MessagePattern(RpcSubjects.HeartbeatCreate)
  async create(@Payload() request: CreateHeartbeatV1): Promise<HeartbeatV1> {
    const heartbeat = this.parse(request);
    const now = new Date();
    const row = await this.repository.insert(
      randomUUID(),
      definitionOf(request),
      request.actor,
      now,
      deadlineAfter(heartbeat, now) ?? null,
    );
    await this.monitor.refresh();
    return heartbeatView(row, heartbeat, now);
  }

  @MessagePattern(RpcSubjects.HeartbeatUpdate)
  async update(@Payload() request: UpdateHeartbeatV1): Promise<HeartbeatV1> {
    const heartbeat = this.parse(request);
    const now = new Date();
    const row = await this.correlation.transaction(async ({ sql }) => {
      const [current] = await this.repository.lock(sql, [request.id]);
      if (!current) return undefined;
      const deadline = current.missingSince
        ? null
        : (deadlineAfter(heartbeat, current.lastSeenAt ?? now) ?? null);
      return this.repository.update(sql, request.id, definitionOf(request), now, deadline);
    });
    if (!row) throw new RpcFailure('not_found', `heartbeat ${request.id} not found`);
    await this.monitor.refresh();
    return heartbeatView(row, heartbeat, now);
  }

  @MessagePattern(RpcSubjects.HeartbeatGet)
  async get(@Payload() request: GetSilenceV1): Promise<HeartbeatV1> {
    const row = await this.repository.get(request.id);
    if (!row) throw new RpcFailure('not_found', `heartbeat ${request.id} not found`);
    return heartbeatView(row, this.registry.definitionOf(row));
  }

  @MessagePattern(RpcSubjects.HeartbeatList)
  async list(@Payload() request: ListSilencesV1): Promise<HeartbeatV1[]> {
    const rows = await this.repository.loadAll();
    const now = new Date();
    return rows
      .filter(nameFilter(request))
      .map((row) => heartbeatView(row, this.registry.definitionOf(row), now));
  }

  @MessagePattern(RpcSubjects.HeartbeatDelete)
  async delete(@Payload() request: DeleteSilenceV1): Promise<DeletedSilenceV1> {
    const resolved = await this.correlation.transaction(async (scope) => {
      const sql = scope.sql;
      const [current] = await this.repository.lock(sql, [request.id]);
      if (!current) return undefined;
      // A miss must not outlive its heartbeat: nothing would ever resolve its alert.
      if (current.missingSince) {
        const event = recoveryEvent(current, current.misses, new Date(), 'deleted');
        await scope.correlate([{ event, headers: {} }]);
      }
      await this.repository.delete(sql, request.id);
      return current.missingSince !== null;
    });
    if (resolved === undefined) throw new RpcFailure('not_found', `heartbeat ${request.id} not found`);
    if (resolved) this.metrics.misses.inc({ change: 'recovered' });
    await this.monitor.refresh();
    return { id: request.id, deleted: true };
  }

  private parse(request: CreateHeartbeatV1): Heartbeat {
    const parsed = parseDefinition(request);
    if (!parsed.ok) throw new InvalidMessageError(parsed.errors);
    return parsed.heartbeat;
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { IncidentCommandReplyV1, IncidentCommandV1, IncidentStatus } from '@vigil/contracts';
import { RpcFailure } from '@vigil/messaging';
import { applyIncidentCommand, IncidentCommand } from '../domain/incidents';
import { OutboxService } from '../outbox';
import { IncidentBatch } from './incident-batch';
import { groupLockKey, IncidentsRepository } from './incidents.repository';
import { ActiveIncidentRules } from './active-incident-rules';

const DEADLOCK = '40P01';
const ATTEMPTS = 3;

/**
 * Acknowledge, unacknowledge and resolve one incident. Each runs in one transaction holding the
 * incident's group lock and row lock (what the incident consumer takes), and a command id seen
 * before on the incident returns the first result and does nothing.
 */
@Injectable()
export class IncidentCommandService {
  private readonly logger = new Logger(IncidentCommandService.name);

  constructor(
    private readonly repository: IncidentsRepository,
    private readonly active: ActiveIncidentRules,
    private readonly outbox: OutboxService,
  ) {}

  async execute(
    request: IncidentCommandV1,
    command: IncidentCommand,
    receivedAt: Date,
    headers: Record<string, string>,
  ): Promise<IncidentCommandReplyV1> {
    const notFound = () => new RpcFailure('not_found', `incident ${request.incidentId} not found`);
    for (let attempt = 1; ; attempt++) {
      try {
        const { reply, outbox } = await this.repository.transaction(async (tx) => {
          const group = await tx.groupOf(request.incidentId);
          if (!group) throw notFound();
          await tx.lockGroups([groupLockKey(group.ruleId, group.groupKey)]);
          const [incident] = await tx.lockIncidents([request.incidentId], []);
          if (!incident || incident.status === 'pending') throw notFound();
          const base = { incidentId: incident.id, commandId: request.commandId };
          const first = await tx.commandResult(incident.id, request.commandId);
          if (first) {
            const replay: IncidentCommandReplyV1 = {
              ...base,
              changed: true,
              replayed: true,
              change: first.action as IncidentCommandReplyV1['change'],
              sequence: first.sequence,
              status: first.to_status as IncidentStatus,
            };
            return { reply: replay, outbox: [] };
          }
          const now = new Date();
          const outcome = applyIncidentCommand(incident, command, request.actor, now);
          if (!outcome.ok) throw new RpcFailure('conflict', outcome.reason);
          const own = outcome.step.transitions[0];
          const result: IncidentCommandReplyV1 = {
            ...base,
            changed: outcome.changed,
            replayed: false,
            change: own?.change ?? null,
            sequence: own?.sequence ?? incident.sequence,
            status: own?.to ?? incident.status,
          };
          if (!outcome.changed) return { reply: result, outbox: [] };
          const batch = new IncidentBatch([incident], [], this.active.current.version, now);
          batch.record(incident.id, outcome.step, undefined, {
            actor: request.actor,
            commandId: request.commandId,
            reason: request.reason,
            receivedAt: receivedAt.toISOString(),
            headers,
          });
          await tx.write(batch);
          return { reply: result, outbox: batch.outbox };
        });
        this.outbox.publishCommitted(outbox);
        return reply;
      } catch (error) {
        if (error instanceof RpcFailure) throw error;
        if ((error as { code?: string }).code !== DEADLOCK || attempt >= ATTEMPTS) throw error;
        this.logger.debug(`incident command ${request.commandId} tried again after a deadlock`);
      }
    }
  }
}

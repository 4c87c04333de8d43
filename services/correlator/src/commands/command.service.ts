import { Injectable } from '@nestjs/common';
import { AlertCommandReplyV1, AlertCommandV1 } from '@vigil/contracts';
import { RpcFailure } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { applyCommand, ChangeSet, CorrelationService, LifecycleConfig, stateOf } from '../alerts';
import type { AlertCommand } from '../alerts';

/** A command that met a deadlock is tried again this many times in all before the caller hears of it. */
const ATTEMPTS = 3;

/**
 * Operator commands on one alert. Each runs in one transaction holding the alert's row lock (the
 * lock events and timers take too), so it sees and leaves a consistent alert: the lifecycle decides,
 * and the change, its history row (with the command id) and its alert-change message commit
 * together. A command id seen before on the alert returns the first result and does nothing.
 */
@Injectable()
export class CommandService {
  private readonly outcomes: Counter<'command' | 'outcome'>;

  constructor(
    private readonly correlation: CorrelationService,
    private readonly config: LifecycleConfig,
    metrics: ServiceMetrics,
  ) {
    this.outcomes = metrics.counter(
      'commands_total',
      'Operator commands by command and outcome (changed, unchanged, replayed, conflict, not_found).',
      ['command', 'outcome'],
    );
  }

  async execute(
    request: AlertCommandV1,
    command: AlertCommand,
    receivedAt: Date,
    headers: Record<string, string>,
  ): Promise<AlertCommandReplyV1> {
    try {
      const reply = await this.correlation.transaction(
        async (scope): Promise<AlertCommandReplyV1> => {
          const alert = await scope.alerts.lockAlert(request.alertId);
          if (!alert) throw new RpcFailure('not_found', `alert ${request.alertId} not found`);
          const base = { alertId: alert.id, commandId: request.commandId };
          const first = await scope.alerts.commandResult(alert.id, request.commandId);
          if (first) {
            return {
              ...base,
              changed: true,
              replayed: true,
              change: first.action as AlertCommandReplyV1['change'],
              sequence: first.sequence,
              status: first.toStatus,
            };
          }
          const now = new Date();
          const before = stateOf(alert);
          const outcome = applyCommand(alert.id, before, command, now, this.config.policy);
          if (!outcome.ok) throw new RpcFailure('conflict', outcome.reason);
          const { decision } = outcome;
          const own = decision.transitions[0];
          const result: AlertCommandReplyV1 = {
            ...base,
            changed: outcome.changed,
            replayed: false,
            change: own?.change ?? null,
            sequence: own?.sequence ?? alert.sequence,
            status: own?.to ?? alert.status,
          };
          if (!outcome.changed) return result;
          const set = new ChangeSet(now);
          set.apply(alert, before, decision, {
            actor: request.actor,
            commandId: request.commandId,
            reason: request.reason,
            receivedAt: receivedAt.toISOString(),
            headers,
          });
          await scope.write(set);
          return result;
        },
        { attempts: ATTEMPTS },
      );
      const outcome = reply.replayed ? 'replayed' : reply.changed ? 'changed' : 'unchanged';
      this.outcomes.inc({ command: command.kind, outcome });
      return reply;
    } catch (error) {
      if (error instanceof RpcFailure) this.outcomes.inc({ command: command.kind, outcome: error.code });
      throw error;
    }
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { AlertCommandReplyV1, AlertCommandV1 } from '@vigil/contracts';
import { RpcFailure } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { OutboxRelay } from '../outbox/outbox.relay';
import { SilenceRules } from '../maintenance/silence-rules';
import { AlertChangeCounter } from '../alerts/alert-change.counter';
import { stateOf } from '../alerts/alert-changes';
import { AlertCommand, applyCommand } from '../alerts/alert-lifecycle';
import { AlertsRepository } from '../alerts/alerts.repository';
import { ChangeSet } from '../alerts/change-set';
import { LifecycleConfig } from '../alerts/lifecycle-config';

const DEADLOCK = '40P01';
const ATTEMPTS = 3;

/**
 * Operator commands on one alert. Each runs in one transaction holding the alert's row lock (the
 * lock events and timers take too), so it sees and leaves a consistent alert: the lifecycle decides,
 * and the change, its history row (with the command id) and its alert-change message commit
 * together. A command id seen before on the alert returns the first result and does nothing.
 */
@Injectable()
export class CommandService {
  private readonly logger = new Logger(CommandService.name);
  private readonly outcomes: Counter<'command' | 'outcome'>;

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly relay: OutboxRelay,
    private readonly config: LifecycleConfig,
    private readonly changes: AlertChangeCounter,
    private readonly silences: SilenceRules,
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
    for (let attempt = 1; ; attempt++) {
      try {
        const { reply, changes } = await this.alerts.transaction(async (tx) => {
          const alert = await tx.lockAlert(request.alertId);
          if (!alert) throw new RpcFailure('not_found', `alert ${request.alertId} not found`);
          const base = { alertId: alert.id, commandId: request.commandId };
          const first = await tx.commandResult(alert.id, request.commandId);
          if (first) {
            const replay: AlertCommandReplyV1 = {
              ...base,
              changed: true,
              replayed: true,
              change: first.action as AlertCommandReplyV1['change'],
              sequence: first.sequence,
              status: first.toStatus,
            };
            return { reply: replay, changes: undefined };
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
          if (!outcome.changed) return { reply: result, changes: undefined };
          const set = new ChangeSet(now);
          set.apply(alert, before, decision, {
            actor: request.actor,
            commandId: request.commandId,
            reason: request.reason,
            receivedAt: receivedAt.toISOString(),
            headers,
          });
          if (this.silences.sourceMoved(set.activityChanged.values())) set.reconcileAt = set.now;
          await tx.write(set);
          return { reply: result, changes: set };
        });
        if (changes) {
          this.relay.kick();
          this.changes.count(changes.history);
        }
        const outcome = reply.replayed ? 'replayed' : reply.changed ? 'changed' : 'unchanged';
        this.outcomes.inc({ command: command.kind, outcome });
        return reply;
      } catch (error) {
        if (error instanceof RpcFailure) {
          this.outcomes.inc({ command: command.kind, outcome: error.code });
          throw error;
        }
        if ((error as { code?: string }).code !== DEADLOCK || attempt >= ATTEMPTS) throw error;
        this.logger.debug(`command ${request.commandId} tried again after a deadlock`);
      }
    }
  }
}

import { Injectable } from '@nestjs/common';
import { applyTimer, ChangeSet, CorrelationService, LifecycleConfig, stateOf } from '../alerts';

/**
 * Fires due timers: claims them (`FOR UPDATE SKIP LOCKED`, so replicas share them and none fires
 * twice), locks their alerts, applies each timer's transition and writes it — alert, history,
 * change message, the timer's removal or new due time — in the claim's transaction. A crash before
 * the commit leaves the timers due for the next poll of any replica.
 */
@Injectable()
export class TimerService {
  constructor(
    private readonly correlation: CorrelationService,
    private readonly config: LifecycleConfig,
  ) {}

  /** Fires up to `limit` due timers; returns how many it claimed (a full batch: call again). */
  fireDue(limit: number): Promise<number> {
    // Not retried here: what a failed pass claimed stays due for the next poll.
    return this.correlation.transaction(
      async (scope) => {
        const { timers, alerts } = await scope.alerts.claimDueTimers(limit);
        const set = new ChangeSet(new Date());
        // In due order; an alert with several due timers sees each applied to the state the last left.
        const current = new Map(alerts);
        for (const timer of timers) {
          const alert = current.get(timer.alertId);
          if (!alert) continue; // held by someone else: stays due, tried at the next poll
          const now = set.now > timer.dueAt ? set.now : timer.dueAt;
          const before = stateOf(alert);
          const decision = applyTimer(before, timer.kind, now, this.config.policy);
          current.set(
            alert.id,
            set.apply(alert, before, decision, {
              actor: 'system',
              receivedAt: timer.dueAt.toISOString(),
              headers: {},
            }),
          );
        }
        await scope.write(set);
        return timers.length;
      },
      { attempts: 1 },
    );
  }
}

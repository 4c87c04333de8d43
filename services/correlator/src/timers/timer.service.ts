import { Injectable } from '@nestjs/common';
import { AlertChangeCounter } from '../alerts/alert-change.counter';
import { stateOf } from '../alerts/alert-changes';
import { applyTimer } from '../alerts/alert-lifecycle';
import { AlertsRepository } from '../alerts/alerts.repository';
import { ChangeSet } from '../alerts/change-set';
import { LifecycleConfig } from '../alerts/lifecycle-config';
import { OutboxRelay } from '../outbox/outbox.relay';
import { SilenceRules } from '../maintenance/silence-rules';

/**
 * Fires due timers: claims them (`FOR UPDATE SKIP LOCKED`, so replicas share them and none fires
 * twice), locks their alerts, applies each timer's transition and writes it — alert, history,
 * change message, the timer's removal or new due time — in the claim's transaction. A crash before
 * the commit leaves the timers due for the next poll of any replica.
 */
@Injectable()
export class TimerService {
  constructor(
    private readonly alerts: AlertsRepository,
    private readonly relay: OutboxRelay,
    private readonly config: LifecycleConfig,
    private readonly counter: AlertChangeCounter,
    private readonly silences: SilenceRules,
  ) {}

  /** Fires up to `limit` due timers; returns how many it claimed (a full batch: call again). */
  async fireDue(limit: number): Promise<number> {
    const { claimed, changes } = await this.alerts.transaction(async (tx) => {
      const { timers, alerts } = await tx.claimDueTimers(limit);
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
      if (this.silences.sourceMoved(set.activityChanged.values())) set.reconcileAt = set.now;
      await tx.write(set);
      return { claimed: timers.length, changes: set };
    });
    if (changes.outbox.length) {
      this.relay.kick();
      this.counter.count(changes.history);
    }
    return claimed;
  }
}

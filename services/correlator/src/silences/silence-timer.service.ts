import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { AlertLike } from '@vigil/matching';
import { activeSpan } from '@vigil/matching';
import {
  alertFields,
  announceMaintenanceEnding,
  applySilence,
  ChangeSet,
  CorrelationService,
  isActive,
  stateOf,
} from '../alerts';
import { SilenceRules } from './silence-rules';
import { silenceOf, windowTimers } from './silence-set';
import { RECONCILE_ALL, SilenceTimerRecord, SilencesRepository } from './silences.repository';

export const SILENCE_SETTINGS = Symbol('SILENCE_SETTINGS');

export interface SilenceSettings {
  /** The notice before a window ends (`maintenance_ending`); 0: none. */
  endingNoticeSeconds: number;
  /** How often each replica reloads windows and rules others may have changed. */
  refreshIntervalMs: number;
  /** When a reconcile met locked alerts, how soon it runs again. */
  retryMs: number;
}

/**
 * Fires silence timers, claimed like alert timers (`FOR UPDATE SKIP LOCKED`, any replica, after
 * any restart): a window starting or ending (`window_change`) or a `reconcile` request re-evaluates
 * what silences every firing (or silenced) alert — suppressing, inhibiting and releasing them — and
 * sets each fired window's next timers from `nextChange`; `window_ending` announces the notice on
 * the alerts the window still suppresses. All in the claim's transaction, written through alerts'.
 */
@Injectable()
export class SilenceTimerService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SilenceTimerService.name);
  private loadedAt = 0;

  constructor(
    private readonly correlation: CorrelationService,
    private readonly silences: SilencesRepository,
    private readonly rules: SilenceRules,
    @Inject(SILENCE_SETTINGS) private readonly options: SilenceSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
  }

  /** Reloads the definitions into memory (this process's batches see them from now on). */
  async refresh(): Promise<void> {
    const { windows, rules } = await this.silences.loadAll();
    this.rules.replace(windows, rules);
    this.loadedAt = Date.now();
  }

  /** Fires up to `limit` due silence timers; returns how many it claimed. */
  async fireDue(limit: number): Promise<number> {
    if (Date.now() - this.loadedAt >= this.options.refreshIntervalMs) await this.refresh();
    // Not retried here: what a failed pass claimed stays due for the next poll.
    return this.correlation.transaction(
      async (scope) => {
        const { sql } = scope;
        const timers = await this.silences.claimDueTimers(sql, limit);
        if (!timers.length) return 0;
        // Fired timers read the definitions as committed, not as this replica last polled them.
        const { windows, rules } = await this.silences.loadAll(sql);
        this.rules.replace(windows, rules);
        this.loadedAt = Date.now();
        const silences = this.rules.view();

        const latestDue = Math.max(...timers.map((t) => t.dueAt.getTime()));
        const set = new ChangeSet(new Date(Math.max(Date.now(), latestDue)));
        const now = set.now;
        const { alerts, complete } = await scope.alerts.lockSilenceCandidates();
        const current = new Map(alerts.map((a) => [a.id, a]));
        const cause = { actor: 'system', receivedAt: new Date(latestDue).toISOString(), headers: {} };
        const next: SilenceTimerRecord[] = [];

        if (timers.some((t) => t.kind !== 'window_ending')) {
          // Inhibition does not change whether an alert fires, so the firing set is fixed for the pass.
          const firing: AlertLike[] = alerts
            .filter((a) => isActive(a.status))
            .map((a) => ({ id: a.id, fields: alertFields(a) }));
          for (const alert of alerts) {
            const before = stateOf(alert);
            const silence = silenceOf(
              { id: alert.id, fields: alertFields(alert) },
              now,
              silences.windows,
              silences.rules,
              firing,
            );
            current.set(alert.id, set.apply(alert, before, applySilence(before, silence), cause));
          }
        }
        for (const timer of timers) {
          if (timer.kind === 'reconcile') {
            next.push({ subject: timer.subject, kind: 'reconcile', due_at: null });
            continue;
          }
          const window = silences.window(timer.subject);
          if (timer.kind === 'window_ending') {
            next.push({ subject: timer.subject, kind: 'window_ending', due_at: null });
            const endsAt = window && activeSpan(window.window, now)?.end;
            if (!endsAt) continue;
            for (const alert of current.values()) {
              const before = stateOf(alert);
              const decision = announceMaintenanceEnding(before, timer.subject, endsAt);
              current.set(alert.id, set.apply(alert, before, decision, cause));
            }
            continue;
          }
          // window_change: the window's next start or end, and the notice before the end now due.
          const planned = window
            ? windowTimers(window.window, now, this.options.endingNoticeSeconds)
            : { change: null, ending: null };
          next.push({ subject: timer.subject, kind: 'window_change', due_at: planned.change });
          next.push({ subject: timer.subject, kind: 'window_ending', due_at: planned.ending });
        }
        if (!complete) {
          next.push({
            subject: RECONCILE_ALL,
            kind: 'reconcile',
            due_at: new Date(now.getTime() + this.options.retryMs),
          });
        }
        await scope.write(set);
        // A timer fired and set again in one pass (a reconcile retry) keeps the last word.
        await this.silences.syncTimers(sql, dedupe(next));
        if (set.history.length)
          scope.afterCommit(() =>
            this.logger.debug(`silencing pass announced ${set.history.length} changes`),
          );
        return timers.length;
      },
      { attempts: 1 },
    );
  }
}

function dedupe(records: readonly SilenceTimerRecord[]): SilenceTimerRecord[] {
  const byKey = new Map<string, SilenceTimerRecord>();
  for (const r of records) byKey.set(`${r.subject}\u0000${r.kind}`, r);
  return [...byKey.values()];
}

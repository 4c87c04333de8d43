import { Inject, Injectable } from '@nestjs/common';
import { errorText } from '@vigil/messaging';
import { ServiceMetrics } from '@vigil/observability';
import { Counter } from 'prom-client';
import { HousekeepingRepository, HousekeepingSession } from './housekeeping.repository';
import { archiveBefore, planRetention } from './retention-plan';

export const HOUSEKEEPING_SETTINGS = Symbol('HOUSEKEEPING_SETTINGS');

export interface HousekeepingSettings {
  /** Days of occurrences kept (whole UTC days before today). */
  retentionDays: number;
  /** Days a closed alert stays in `correlator.alerts` before it is archived. */
  archiveAfterDays: number;
  /** How often a replica tries a pass. */
  intervalMs: number;
}

/** Days of partitions kept ready after today's: a pass may be missed for two days without harm. */
export const PARTITIONS_AHEAD = 2;

export interface HousekeepingPass {
  /** False when another replica held the pass lock: this one did nothing. */
  ran: boolean;
  created: string[];
  dropped: string[];
  /** Rows moved out of the default partition into a day created for them. */
  movedFromDefault: number;
  prunedRecordedEvents: number;
  prunedDefault: number;
  archivedAlerts: number;
  /** Steps that failed (e.g. a lock timeout); the next pass tries them again. */
  failures: string[];
}

/**
 * Keeps occurrences and closed alerts bounded: creates the daily occurrence partitions ahead,
 * drops those past retention (and prunes the recorded event ids with them), archives old closed
 * alerts (`HousekeepingPoller` runs a pass at start-up, then every interval). Any number of
 * replicas may run it: a pass holds a Postgres advisory lock, and a replica that cannot take it
 * skips its pass.
 */
@Injectable()
export class HousekeepingService {
  private readonly actions: Counter<'action'>;
  private current?: Promise<HousekeepingPass>;

  constructor(
    private readonly repository: HousekeepingRepository,
    @Inject(HOUSEKEEPING_SETTINGS) private readonly options: HousekeepingSettings,
    metrics: ServiceMetrics,
  ) {
    this.actions = metrics.counter('housekeeping_total', 'Housekeeping actions, by action.', ['action']);
  }

  /** One pass now, unless this process is already in one (then that one's result). */
  runPass(now: Date = new Date()): Promise<HousekeepingPass> {
    this.current ??= this.pass(now).finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  /** Resolves once the pass in progress (if any) has ended, however it ended. */
  async settled(): Promise<void> {
    await this.current?.catch(() => undefined);
  }

  private pass(now: Date): Promise<HousekeepingPass> {
    return this.repository.session(async (session) => {
      const pass: HousekeepingPass = {
        ran: false,
        created: [],
        dropped: [],
        movedFromDefault: 0,
        prunedRecordedEvents: 0,
        prunedDefault: 0,
        archivedAlerts: 0,
        failures: [],
      };
      if (!(await session.tryLock())) return pass;
      try {
        pass.ran = true;
        await this.steps(session, now, pass);
      } finally {
        await session.unlock();
      }
      this.actions.inc({ action: 'pass' });
      this.actions.inc({ action: 'partition_created' }, pass.created.length);
      this.actions.inc({ action: 'partition_dropped' }, pass.dropped.length);
      this.actions.inc({ action: 'alert_archived' }, pass.archivedAlerts);
      return pass;
    });
  }

  /** Each step commits on its own; one failing does not keep the others from running. */
  private async steps(session: HousekeepingSession, now: Date, pass: HousekeepingPass): Promise<void> {
    const attempt = async (what: string, step: () => Promise<void>) => {
      try {
        await step();
      } catch (error) {
        pass.failures.push(`${what}: ${errorText(error)}`);
      }
    };
    const plan = planRetention(now, await session.partitions(), {
      retentionDays: this.options.retentionDays,
      daysAhead: PARTITIONS_AHEAD,
    });
    for (const partition of plan.create) {
      await attempt(`create ${partition.name}`, async () => {
        pass.movedFromDefault += await session.createPartition(partition);
        pass.created.push(partition.name);
      });
    }
    await attempt('archive closed alerts', async () => {
      pass.archivedAlerts = await session.archiveClosedAlerts(
        archiveBefore(now, this.options.archiveAfterDays),
      );
    });
    const failedBefore = pass.failures.length;
    await attempt('prune the default partition', async () => {
      pass.prunedDefault = await session.pruneDefaultPartition(plan.keepFrom);
    });
    for (const name of plan.drop) {
      await attempt(`drop ${name}`, async () => {
        await session.dropPartition(name);
        pass.dropped.push(name);
      });
    }
    // Ids last, and only once their occurrences are gone: an expired id whose occurrence is still
    // stored would let a redelivery record that event a second time.
    if (pass.failures.length > failedBefore) return;
    await attempt('prune recorded events', async () => {
      pass.prunedRecordedEvents = await session.pruneRecordedEvents(plan.keepFrom);
    });
  }
}

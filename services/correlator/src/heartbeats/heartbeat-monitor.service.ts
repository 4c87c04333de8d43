import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { errorText } from '@vigil/messaging';
import { judgeDeadline } from '../domain/heartbeats';
import { CorrelationService } from '../alerts';
import { missEvent } from './heartbeat-events';
import { HEARTBEAT_SETTINGS } from './heartbeat-settings';
import { HeartbeatMetrics } from './heartbeat.metrics';
import type { HeartbeatSettings } from './heartbeat-settings';
import { HeartbeatRegistry } from './heartbeat-registry';
import { HeartbeatState, HeartbeatsRepository, stateOf } from './heartbeats.repository';
import { PipelineWatermark } from './pipeline-watermark';
import type { HeartbeatRow } from './heartbeats.rows';

/** Heartbeats judged per transaction; a full claim polls again at once. */
export const HEARTBEAT_BATCH_SIZE = 100;
/** Deadlines one heartbeat may move through in one pass (a long outage of the correlator itself). */
const MAX_MOVES = 100;

/**
 * Judges due deadlines. Each pass reads the pipeline's watermark, then in one transaction claims
 * the heartbeats whose deadline (plus the grace) it has passed — `FOR UPDATE SKIP LOCKED`, so
 * replicas share them and none is judged twice — and either moves a deadline that fell outside the
 * schedule or raises the miss: a `HeartbeatMissing` event correlated like any other (alert,
 * history, change message) and the heartbeat marked missing, committed together. A crash at any
 * point leaves the deadline due for the next pass of any replica.
 */
@Injectable()
export class HeartbeatMonitorService implements OnApplicationBootstrap {
  private readonly logger = new Logger(HeartbeatMonitorService.name);

  constructor(
    private readonly repository: HeartbeatsRepository,
    private readonly registry: HeartbeatRegistry,
    private readonly correlation: CorrelationService,
    private readonly watermark: PipelineWatermark,
    private readonly metrics: HeartbeatMetrics,
    @Inject(HEARTBEAT_SETTINGS) private readonly options: HeartbeatSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.refresh();
  }

  /** Reloads the definitions into memory (this process's batches match them from now on). */
  async refresh(): Promise<void> {
    this.registry.replace(await this.repository.loadAll());
  }

  /** One pass; returns how many heartbeats it claimed (a full batch: call again). */
  async judgeDue(): Promise<number> {
    if (Date.now() - this.registry.loadedAt >= this.options.refreshIntervalMs) await this.refresh();
    // A deployment without heartbeats asks NATS and Postgres nothing.
    if (!this.registry.heartbeats.length) return 0;
    let watermark: Date;
    try {
      watermark = await this.watermark.read();
    } catch (error) {
      this.logger.debug(
        `heartbeat pass skipped, the pipeline's watermark is unreadable: ${errorText(error)}`,
      );
      return 0;
    }
    const until = new Date(watermark.getTime() - this.options.graceMs);
    return this.correlation.transaction(async (scope) => {
      const sql = scope.sql;
      const rows = await this.repository.claimDue(sql, until, HEARTBEAT_BATCH_SIZE);
      const states: HeartbeatState[] = [];
      const missed: { row: HeartbeatRow; state: HeartbeatState; deadline: Date }[] = [];
      for (const row of rows) {
        const state = this.judge(row, until);
        states.push(state);
        if (state.missing_since) missed.push({ row, state, deadline: state.missing_since });
      }
      const outcomes = await scope.correlate(
        missed.map(({ row, state, deadline }) => ({
          event: missEvent(row, deadline, state.misses),
          headers: {},
        })),
      );
      outcomes.forEach((outcome, i) => {
        if (outcome.result === 'recorded') missed[i].state.alert_id = outcome.alertId;
      });
      await this.repository.writeState(sql, states);
      if (missed.length) {
        scope.afterCommit(() => {
          this.metrics.misses.inc({ change: 'raised' }, missed.length);
          for (const { row, deadline } of missed)
            this.logger.log(
              `heartbeat ${row.name} (${row.id}) missed its deadline ${deadline.toISOString()}`,
            );
        });
      }
      return rows.length;
    });
  }

  /** A due heartbeat's new state: missing, or its deadline moved past `until` (or dropped: schedule over). */
  private judge(row: HeartbeatRow, until: Date): HeartbeatState {
    const state = stateOf(row);
    const heartbeat = this.registry.definitionOf(row);
    if (!heartbeat) {
      this.logger.warn(`heartbeat ${row.id} no longer parses; it is not judged until it is updated`);
      return { ...state, deadline_at: null };
    }
    let deadline = row.deadlineAt;
    for (let move = 0; deadline && move < MAX_MOVES; move++) {
      const verdict = judgeDeadline(heartbeat, deadline);
      if (verdict.missed)
        return { ...state, deadline_at: null, missing_since: deadline, misses: row.misses + 1 };
      deadline = verdict.next ?? null;
      if (deadline && deadline > until) break;
    }
    return { ...state, deadline_at: deadline };
  }
}

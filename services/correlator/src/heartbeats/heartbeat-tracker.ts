import { Injectable } from '@nestjs/common';
import { NatsClient } from '@vigil/messaging';
import { deadlineAfter, heartbeatFields, heartbeatMatches } from '../domain/heartbeats';
import type {
  BatchObserver,
  CorrelationInput,
  CorrelationScope,
  ObservedBatch,
  ObservedBatchWrites,
} from '../alerts';
import { recoveryEvent } from './heartbeat-events';
import { HeartbeatMetrics } from './heartbeat.metrics';
import { HeartbeatRegistry } from './heartbeat-registry';
import { HeartbeatState, HeartbeatsRepository } from './heartbeats.repository';

/** The latest matching event of a batch for one heartbeat. */
export interface Seen {
  at: Date;
  headers: Record<string, string>;
}

/**
 * The batch side of heartbeats (the `BatchObserver` the alerts module calls, bound by the root
 * wiring): which heartbeats a batch's events match (in memory), and, inside the batch's
 * transaction, moving their deadlines and resolving their misses.
 */
@Injectable()
export class HeartbeatTracker implements BatchObserver {
  private readonly subjectPrefix: string;

  constructor(
    private readonly registry: HeartbeatRegistry,
    private readonly repository: HeartbeatsRepository,
    private readonly metrics: HeartbeatMetrics,
    nats: NatsClient,
  ) {
    this.subjectPrefix = nats.space.prefix;
  }

  observe(inputs: readonly CorrelationInput[]): ObservedBatch | undefined {
    const seen = this.seenIn(inputs);
    return seen && { advance: (scope) => this.advance(scope, seen) };
  }

  /** The heartbeats these events match, each with its latest event (ingest's receipt time); undefined: none. */
  seenIn(inputs: readonly CorrelationInput[]): Map<string, Seen> | undefined {
    const heartbeats = this.registry.heartbeats;
    if (!heartbeats.length) return undefined;
    let seen: Map<string, Seen> | undefined;
    for (const { event, headers } of inputs) {
      const fields = heartbeatFields(event, this.subjectPrefix);
      for (const { id, heartbeat } of heartbeats) {
        if (!heartbeatMatches(heartbeat, fields)) continue;
        const at = new Date(event.receivedAt);
        const before = (seen ??= new Map<string, Seen>()).get(id);
        if (!before || at > before.at) seen.set(id, { at, headers });
      }
    }
    return seen;
  }

  /**
   * Locks the matched heartbeats and works out their new state: an event newer than the last one
   * moves the deadline to one interval after it (from the schedule's next opening when that falls
   * outside it) and ends a miss, whose alert the returned clearing events resolve in this batch.
   * An event no newer than the last one seen says nothing new and changes nothing. The new state
   * is written after the batch (and its recoveries).
   */
  async advance(scope: CorrelationScope, seen: ReadonlyMap<string, Seen>): Promise<ObservedBatchWrites> {
    const { sql } = scope;
    const rows = await this.repository.lock(sql, [...seen.keys()].sort());
    const states: HeartbeatState[] = [];
    const recoveries: CorrelationInput[] = [];
    for (const row of rows) {
      const event = seen.get(row.id);
      if (!event || (row.lastSeenAt && row.lastSeenAt >= event.at)) continue;
      const heartbeat = this.registry.definitionOf(row);
      if (!heartbeat) continue;
      // Events older than the heartbeat count as seen, but its first interval runs from its creation.
      const from = event.at > row.createdAt ? event.at : row.createdAt;
      states.push({
        id: row.id,
        last_seen_at: event.at,
        deadline_at: deadlineAfter(heartbeat, from) ?? null,
        missing_since: null,
        misses: row.misses,
        alert_id: null,
      });
      if (row.missingSince)
        recoveries.push({
          event: recoveryEvent(row, row.misses, event.at, 'resumed'),
          headers: event.headers,
        });
    }
    return {
      events: recoveries,
      write: async () => {
        await this.repository.writeState(sql, states);
        if (recoveries.length)
          scope.afterCommit(() => this.metrics.misses.inc({ change: 'recovered' }, recoveries.length));
      },
    };
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { FieldError } from '@vigil/contracts';
import { Heartbeat, parseHeartbeat } from '../domain/heartbeats';
import type { HeartbeatRow } from './heartbeats.rows';

/** A heartbeat as the correlator keeps it in memory: parsed once, matched per event. */
export interface CompiledHeartbeat {
  id: string;
  /** The definition's `updated_at`: a row with another one was changed since memory was loaded. */
  version: number;
  heartbeat: Heartbeat;
}

export function parseDefinition(row: {
  matchers: unknown;
  intervalSeconds: unknown;
  schedule?: unknown;
}): { ok: true; heartbeat: Heartbeat } | { ok: false; errors: FieldError[] } {
  // Only the fields that decide when a miss happens: the request also names, comments and says who.
  const { matchers, intervalSeconds, schedule } = row;
  return parseHeartbeat({ matchers, intervalSeconds, schedule });
}

/**
 * Every heartbeat, parsed, in memory: the batch path matches events against them without a query.
 * Replaced whole on every load — after this process changes a definition, and on the poll (other
 * replicas' changes).
 */
@Injectable()
export class HeartbeatRegistry {
  private readonly logger = new Logger(HeartbeatRegistry.name);
  heartbeats: readonly CompiledHeartbeat[] = [];
  private byId = new Map<string, CompiledHeartbeat>();
  loadedAt = 0;

  replace(rows: readonly HeartbeatRow[]): void {
    const compiled: CompiledHeartbeat[] = [];
    for (const row of rows) {
      const parsed = parseDefinition(row);
      // Validated when written; a row that no longer parses (a library change) must not stop batches.
      if (parsed.ok)
        compiled.push({ id: row.id, version: row.updatedAt.getTime(), heartbeat: parsed.heartbeat });
      else this.logger.warn(`heartbeat ${row.id} ignored: ${JSON.stringify(parsed.errors)}`);
    }
    this.heartbeats = compiled;
    this.byId = new Map(compiled.map((c) => [c.id, c]));
    this.loadedAt = Date.now();
  }

  /** The definition of a row read just now: from memory when it is this version, else parsed afresh. */
  definitionOf(row: HeartbeatRow): Heartbeat | undefined {
    const known = this.byId.get(row.id);
    if (known && known.version === row.updatedAt.getTime()) return known.heartbeat;
    const parsed = parseDefinition(row);
    return parsed.ok ? parsed.heartbeat : undefined;
  }
}

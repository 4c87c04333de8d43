/**
 * Which daily occurrence partitions to create and which to drop, from the partitions that exist
 * and the clock. Days are UTC days; a partition holds the rows recorded from its day's midnight
 * (inclusive) to the next midnight (exclusive), and is named after its day.
 */

const DAY_MS = 86_400_000;
const PARTITION_PREFIX = 'event_occurrences_p';
const PARTITION_NAME = /^event_occurrences_p(\d{4})(\d{2})(\d{2})$/;

/** Midnight UTC of the day `at` falls in. */
export function utcDay(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

export function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * DAY_MS);
}

/** `event_occurrences_p20261121` for the partition of 21 November 2026. */
export function partitionName(day: Date): string {
  return `${PARTITION_PREFIX}${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/**
 * The day a partition holds, from its name; undefined for any other table (the default partition,
 * or one made by hand), which housekeeping then leaves alone.
 */
export function partitionDay(name: string): Date | undefined {
  const match = PARTITION_NAME.exec(name);
  if (!match) return undefined;
  const [, year, month, day] = match.map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  // Rejects names such as p20261340 that Date.UTC would roll over into another day.
  return partitionName(date) === name ? date : undefined;
}

export interface PartitionToCreate {
  name: string;
  from: Date;
  to: Date;
}

export interface RetentionPlan {
  create: PartitionToCreate[];
  drop: string[];
  /**
   * Rows recorded before this instant are past retention: the partitions of earlier days are
   * dropped, and recorded event ids (and default-partition rows) older than it are deleted. The
   * same day boundary for both, so an event whose occurrence is kept is always still recognised.
   */
  keepFrom: Date;
}

export interface RetentionPolicy {
  /** Days of occurrences kept before today's: day D is dropped once D < today − retentionDays. */
  retentionDays: number;
  /** Partitions kept ready after today's. */
  daysAhead: number;
}

export function planRetention(
  now: Date,
  existing: readonly string[],
  policy: RetentionPolicy,
): RetentionPlan {
  const today = utcDay(now);
  const keepFrom = addDays(today, -policy.retentionDays);
  const present = new Set(existing);
  const create: PartitionToCreate[] = [];
  for (let offset = 0; offset <= policy.daysAhead; offset++) {
    const from = addDays(today, offset);
    const name = partitionName(from);
    if (!present.has(name)) create.push({ name, from, to: addDays(from, 1) });
  }
  const drop = existing
    .filter((name) => {
      const day = partitionDay(name);
      return day !== undefined && day.getTime() < keepFrom.getTime();
    })
    .sort();
  return { create, drop, keepFrom };
}

/** Closed alerts whose last change is older than this are archived. */
export function archiveBefore(now: Date, archiveDays: number): Date {
  return new Date(now.getTime() - archiveDays * DAY_MS);
}

export interface TableColumn {
  name: string;
  /** As `format_type` spells it, e.g. `timestamp with time zone[]`. */
  type: string;
}

/**
 * The live alert columns the archive lacks. The archive follows the live table by adding columns
 * (nullable: older archived alerts never had them) and never drops any, so a migration that adds a
 * column to `alerts` needs no twin for `alerts_archive`, and nothing archived is lost.
 */
export function missingArchiveColumns(
  live: readonly TableColumn[],
  archive: readonly TableColumn[],
): TableColumn[] {
  const present = new Set(archive.map((c) => c.name));
  return live.filter((c) => !present.has(c.name));
}

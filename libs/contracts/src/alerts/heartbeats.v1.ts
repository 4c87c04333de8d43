import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsLabelMap, IsPlainObject } from '../decorators';
import type { Labels } from '../events/producer-event.v1';
import { LIMITS, UUID_PATTERN } from '../limits';
import type { Severity } from '../severity';
import { ActorV1, COMMAND_SEVERITIES } from './alert-commands.v1';
import { IsMatcherList, SILENCE_LIMITS } from './silences.v1';

/** Limits of heartbeats (missing-event detection). */
export const HEARTBEAT_LIMITS = {
  minIntervalSeconds: 1,
  maxIntervalSeconds: 7 * 24 * 3600,
} as const;

/** The type of the alert a missed heartbeat raises; its fingerprint is `heartbeat:<id>`. */
export const HEARTBEAT_MISSING_TYPE = 'HeartbeatMissing';

/**
 * `waiting`: no matching event seen since the heartbeat was created (its first deadline runs from
 * then); `ok`: the latest deadline was met; `missing`: a deadline passed without an event, and the
 * `HeartbeatMissing` alert stands until one arrives; `outside_schedule`: not missing, and its
 * schedule is not active now (no event is expected).
 */
export const HEARTBEAT_STATES = ['waiting', 'ok', 'missing', 'outside_schedule'] as const;
export type HeartbeatState = (typeof HEARTBEAT_STATES)[number];

/**
 * An expectation: events matching every matcher arrive at least every `intervalSeconds` (only
 * while `schedule` is active, when one is given). The matchers and the schedule are checked by
 * the correlator (libs/matching), which names the field of each fault (`matchers[1]`,
 * `schedule.rrule`); the contract checks their shape.
 */
export class CreateHeartbeatV1 extends ActorV1 {
  @Length(1, SILENCE_LIMITS.nameLength)
  @IsString()
  name!: string;

  /**
   * Alertmanager matchers over the event: `source`, `node`, `type`, `service`, `environment`,
   * `category`, `subject` (the NATS subject a NATS producer published on, without the deployment's
   * prefix) and each label as `labels.<name>` and `<name>`.
   */
  @IsMatcherList()
  matchers!: string[];

  @Max(HEARTBEAT_LIMITS.maxIntervalSeconds)
  @Min(HEARTBEAT_LIMITS.minIntervalSeconds)
  @IsInt()
  intervalSeconds!: number;

  /** Events are expected only inside these windows: `{rrule|cron, durationMinutes, timezone, from?, until?}`. */
  @IsOptional()
  @IsPlainObject()
  schedule?: Record<string, unknown>;

  /** Of the `HeartbeatMissing` alert; `major` by default (`cleared` would be no alert at all). */
  @IsOptional()
  @IsIn(COMMAND_SEVERITIES)
  severity?: Exclude<Severity, 'cleared'>;

  /** The alert's node; the heartbeat's name by default. */
  @IsOptional()
  @Length(1, LIMITS.nodeLength)
  @IsString()
  node?: string;

  @IsOptional()
  @Length(1, LIMITS.contextLength)
  @IsString()
  service?: string;

  /** Labels of the alert (routing, maintenance windows); `heartbeat` is added with the name. */
  @IsOptional()
  @IsLabelMap()
  labels?: Labels;

  @IsOptional()
  @Length(0, SILENCE_LIMITS.commentLength)
  @IsString()
  comment?: string;
}

/** Replaces a heartbeat's definition (every field, as on create); its state is kept. */
export class UpdateHeartbeatV1 extends CreateHeartbeatV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  id!: string;
}

export interface HeartbeatV1 {
  id: string;
  name: string;
  matchers: string[];
  intervalSeconds: number;
  schedule: Record<string, unknown> | null;
  severity: Exclude<Severity, 'cleared'>;
  node: string | null;
  service: string | null;
  labels: Labels;
  comment: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  state: HeartbeatState;
  /** When ingest received the latest matching event (null: none yet). */
  lastSeenAt: string | null;
  /** When the next miss is judged (null while missing, or when the schedule never occurs again). */
  deadlineAt: string | null;
  /** The deadline that was missed, while missing. */
  missingSince: string | null;
  /** The `HeartbeatMissing` alert, while missing. */
  alertId: string | null;
}

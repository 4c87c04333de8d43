import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { IsPlainObject, IsTimestamp } from '../decorators';
import { ActorV1 } from '../alerts/alert-commands.v1';

/**
 * What the notifier is configured with. Each object has an operator-chosen id (like an
 * Alertmanager receiver's name) so routes and policies can name what they point at.
 * `routing_tree` has exactly one object, `ROUTING_TREE_ID`.
 */
export const NOTIFIER_OBJECT_KINDS = [
  'user',
  'channel',
  'schedule',
  'escalation_policy',
  'routing_tree',
] as const;
export type NotifierObjectKind = (typeof NOTIFIER_OBJECT_KINDS)[number];

export const ROUTING_TREE_ID = 'default';

/** Lower-case letters, digits, `-` and `_`, starting with a letter or digit: safe in URLs and keys. */
export const NOTIFIER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const NOTIFIER_CONFIG_LIMITS = {
  commentLength: 1000,
  /** The longest span of shifts one request may ask for. */
  maxShiftDays: 366,
  testMessageLength: 1000,
} as const;

class NotifierObjectRefV1 {
  @IsIn(NOTIFIER_OBJECT_KINDS)
  kind!: NotifierObjectKind;

  @Matches(NOTIFIER_ID_PATTERN, {
    message: '$property must be 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit',
  })
  @IsString()
  id!: string;
}

export class GetNotifierObjectV1 extends NotifierObjectRefV1 {}

export class ListNotifierObjectsV1 {
  @IsIn(NOTIFIER_OBJECT_KINDS)
  kind!: NotifierObjectKind;
}

/**
 * Creates or replaces one object. The body is checked by the notifier, which names the field of
 * each fault (`levels[1].targets[0].id`, `layers[0].rotation.handoffTime`).
 */
export class PutNotifierObjectV1 extends ActorV1 {
  @IsIn(NOTIFIER_OBJECT_KINDS)
  kind!: NotifierObjectKind;

  @Matches(NOTIFIER_ID_PATTERN, {
    message: '$property must be 1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit',
  })
  @IsString()
  id!: string;

  @IsPlainObject()
  body!: Record<string, unknown>;

  /** Optimistic concurrency: refused with `conflict` unless the stored revision is this one (0: must not exist). */
  @IsOptional()
  @Min(0)
  @IsInt()
  basedOnRevision?: number;

  @IsOptional()
  @Length(0, NOTIFIER_CONFIG_LIMITS.commentLength)
  @IsString()
  comment?: string;
}

export class DeleteNotifierObjectV1 extends ActorV1 {
  @IsIn(NOTIFIER_OBJECT_KINDS)
  kind!: NotifierObjectKind;

  @Matches(NOTIFIER_ID_PATTERN, { message: '$property is not a valid id' })
  @IsString()
  id!: string;
}

export interface NotifierObjectV1 {
  kind: NotifierObjectKind;
  id: string;
  /** 1 on creation, +1 per replacement. */
  revision: number;
  body: Record<string, unknown>;
  updatedAt: string;
  updatedBy: string;
}

export interface DeletedNotifierObjectV1 {
  kind: NotifierObjectKind;
  id: string;
  deleted: true;
}

/** Who is on call on a schedule at `at` (now by default). */
export class WhoIsOnCallV1 {
  @Matches(NOTIFIER_ID_PATTERN, { message: '$property is not a valid id' })
  @IsString()
  scheduleId!: string;

  @IsOptional()
  @IsTimestamp()
  at?: string;
}

export interface OnCallUserV1 {
  id: string;
  name?: string;
}

export interface OnCallV1 {
  scheduleId: string;
  at: string;
  timeZone: string;
  /** Empty when nobody is on call (a gap in the rotation). */
  users: OnCallUserV1[];
  /** Where the answer came from: an override, a layer (by name), or nothing. */
  source: 'override' | 'layer' | 'none';
  layer?: string;
  /** The current shift's bounds, when known. */
  shiftStart?: string;
  shiftEnd?: string;
}

/** The shifts of a schedule between `from` (now by default) and `to` (14 days later by default). */
export class ScheduleShiftsV1 {
  @Matches(NOTIFIER_ID_PATTERN, { message: '$property is not a valid id' })
  @IsString()
  scheduleId!: string;

  @IsOptional()
  @IsTimestamp()
  from?: string;

  @IsOptional()
  @IsTimestamp()
  to?: string;

  /** `ical`: the reply also carries the shifts as an iCalendar (RFC 5545) document. */
  @IsOptional()
  @IsIn(['json', 'ical'])
  format?: 'json' | 'ical';
}

export interface ShiftV1 {
  userId: string;
  userName?: string;
  start: string;
  end: string;
  /** The layer's name, or `override`. */
  source: string;
}

export interface ScheduleShiftsReplyV1 {
  scheduleId: string;
  from: string;
  to: string;
  timeZone: string;
  shifts: ShiftV1[];
  ical?: string;
}

/** Sends a test notification to one channel, or to every contact method of one user, now. */
export class SendTestNotificationV1 extends ActorV1 {
  @IsIn(['user', 'channel'])
  targetKind!: 'user' | 'channel';

  @Matches(NOTIFIER_ID_PATTERN, { message: '$property is not a valid id' })
  @IsString()
  targetId!: string;

  @IsOptional()
  @Length(1, NOTIFIER_CONFIG_LIMITS.testMessageLength)
  @IsString()
  message?: string;
}

export interface TestDeliveryV1 {
  /** `channel:<id>` or `user:<id>/<contact method id>`. */
  target: string;
  channelType: string;
  ok: boolean;
  /** HTTP status or SMTP reply code. */
  status?: number;
  error?: string;
  retryable?: boolean;
}

export interface TestNotificationReplyV1 {
  deliveries: TestDeliveryV1[];
}

import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { IsTimestamp } from '../decorators';
import { UUID_PATTERN } from '../limits';

export const NOTIFICATION_KINDS = [
  'triggered',
  'escalated',
  'updated',
  'repeated',
  'acknowledged',
  'resolved',
  'test',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * A notification the notifier gave up on after its last retry, on
 * `notifications.failed.<channel type>`. The failing channel is also raised as an alert.
 */
export class NotificationFailedV1 {
  @IsIn(['vigil.notifier.notification-failed/v1'])
  schema!: 'vigil.notifier.notification-failed/v1';

  /** The notification log's key: page, episode, step and target. */
  @Length(1, 512)
  @IsString()
  notificationId!: string;

  @IsIn(NOTIFICATION_KINDS)
  kind!: NotificationKind;

  /** The page (an alert or incident, or a group of them) it was about; absent for test notifications. */
  @IsOptional()
  @Matches(UUID_PATTERN)
  @IsString()
  pageId?: string;

  @Length(1, 64)
  @IsString()
  channelType!: string;

  /** `channel:<id>` or `user:<id>/<contact method id>`: never an address or secret. */
  @Length(1, 256)
  @IsString()
  target!: string;

  @Min(1)
  @IsInt()
  attempts!: number;

  @Length(1, 2000)
  @IsString()
  error!: string;

  @IsTimestamp()
  failedAt!: string;
}

export const NOTIFICATION_FAILED_SCHEMA = 'vigil.notifier.notification-failed/v1';

/** The alert a failing channel raises: its type, and its source on `events.raw`. */
export const CHANNEL_FAILING_EVENT_TYPE = 'NotificationChannelFailing';
export const NOTIFIER_EVENT_SOURCE = 'vigil-notifier';

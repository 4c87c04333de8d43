import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateBy,
  ValidationOptions,
} from 'class-validator';
import { EVENT_ID_PATTERN, LIMITS, UUID_PATTERN } from '../limits';
import { SEVERITIES } from '../severity';
import { isTimestamp } from '../timestamp';
import type { Severity } from '../severity';
import type { AlertChange, AlertStatus } from './alert-changed.v1';

/** Limits of operator commands. */
export const COMMAND_LIMITS = {
  actorLength: 128,
  commandIdLength: 128,
  reasonLength: 1024,
  noteLength: 4096,
  /** A snooze longer than this is a silence, which is another feature. */
  maxSnoozeSeconds: 30 * 24 * 3600,
} as const;

/** Severities an operator may set: `cleared` would be a resolve in disguise, and `resolve` exists. */
export const COMMAND_SEVERITIES = SEVERITIES.filter(
  (s): s is Exclude<Severity, 'cleared'> => s !== 'cleared',
);

/**
 * What every operator command carries, on an alert or an incident. `commandId` is the idempotency
 * key: the same id again (for the same target) returns the first result and changes nothing.
 */
/** Who asks for a change: a user name; `system` is reserved for the correlator itself. */
export abstract class ActorV1 {
  @Matches(/^(?!system$)/, { message: '$property "system" is reserved for the correlator' })
  @Length(1, COMMAND_LIMITS.actorLength)
  @IsString()
  actor!: string;
}

export abstract class OperatorCommandV1 extends ActorV1 {
  @Matches(EVENT_ID_PATTERN, { message: '$property must be printable ASCII without spaces' })
  @Length(1, COMMAND_LIMITS.commandIdLength)
  @IsString()
  commandId!: string;

  /** Why; kept in the alert's history. */
  @IsOptional()
  @Length(1, COMMAND_LIMITS.reasonLength)
  @IsString()
  reason?: string;
}

export abstract class AlertCommandV1 extends OperatorCommandV1 {
  @Matches(UUID_PATTERN, { message: '$property must be a UUID' })
  @IsString()
  alertId!: string;
}

export class AcknowledgeAlertV1 extends AlertCommandV1 {}

export class UnacknowledgeAlertV1 extends AlertCommandV1 {}

export class ResolveAlertV1 extends AlertCommandV1 {}

export class AssignAlertV1 extends AlertCommandV1 {
  /** The user to assign the alert to; `null` unassigns it. Required either way, so a typo is not an unassign. */
  @ValidateIf((o: AssignAlertV1) => o.assignee !== null)
  @Length(1, COMMAND_LIMITS.actorLength)
  @IsString({ message: '$property must be a user name, or null to unassign' })
  assignee!: string | null;
}

const given = (value: unknown) => value !== undefined && value !== null;

/**
 * A snooze ends at `until` or after `durationSeconds`: exactly one is given, and `until` is an RFC
 * 3339 time. (Whether it lies in the future depends on the clock, so the correlator checks that.)
 */
function IsSnoozeEnd(options?: ValidationOptions): PropertyDecorator {
  const problem = (value: unknown, object: SnoozeAlertV1): string | undefined => {
    if (given(value) === given(object.durationSeconds))
      return 'exactly one of until and durationSeconds is required';
    if (given(value) && !isTimestamp(value))
      return 'must be an RFC 3339 timestamp with a time zone, e.g. 2026-01-31T12:00:00Z';
    return undefined;
  };
  return ValidateBy(
    {
      name: 'isSnoozeEnd',
      validator: {
        validate: (value: unknown, args) => problem(value, args?.object as SnoozeAlertV1) === undefined,
        defaultMessage: (args) => problem(args?.value, args?.object as SnoozeAlertV1) ?? 'is invalid',
      },
    },
    options,
  );
}

export class SnoozeAlertV1 extends AlertCommandV1 {
  /** RFC 3339 time in the future at which the snooze ends. */
  @IsSnoozeEnd()
  until?: string;

  /** Or: how long the snooze lasts, from the moment the correlator applies it. */
  @ValidateIf((o: SnoozeAlertV1) => given(o.durationSeconds))
  @Max(COMMAND_LIMITS.maxSnoozeSeconds)
  @Min(1)
  @IsInt()
  durationSeconds?: number;
}

export class ChangeAlertSeverityV1 extends AlertCommandV1 {
  @IsIn(COMMAND_SEVERITIES)
  severity!: Exclude<Severity, 'cleared'>;
}

export class AddAlertNoteV1 extends AlertCommandV1 {
  @Length(1, COMMAND_LIMITS.noteLength)
  @IsString()
  text!: string;
}

/**
 * The answer to every accepted command. `changed: false` means the alert already was as asked (an
 * acknowledge of an acknowledged alert): nothing was written or announced. `replayed: true` means
 * the commandId was seen before: this is the first result again, and nothing happened now.
 */
export interface AlertCommandReplyV1 {
  alertId: string;
  commandId: string;
  changed: boolean;
  replayed: boolean;
  /** The change made (null when nothing changed). */
  change: AlertChange | null;
  /** The alert's sequence after the command (the change's sequence when it changed something). */
  sequence: number;
  /** The status after the command. */
  status: AlertStatus;
}

/** Finds the live (not closed) alert of a fingerprint: how a producer's own key reaches an alert. */
export class FindAlertByFingerprintV1 {
  @Length(1, LIMITS.fingerprintLength)
  @IsString()
  fingerprint!: string;
}

export interface FoundAlertV1 {
  alertId: string;
  status: AlertStatus;
}

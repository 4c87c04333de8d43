import { BaseEnv, SERVICE_PORTS } from '@vigil/config';
import { IsInt, IsString, Max, Min, ValidateBy } from 'class-validator';
import type { LifecyclePolicy } from './alerts';
import { parsePairingRules } from './pairing';
import type { PairingRule } from './pairing';

const DAY = 24 * 3600;

/** `CORRELATOR_PAIRING_RULES` must parse; the message lists every problem, rule by rule. */
function IsPairingRules(): PropertyDecorator {
  const problems = (value: unknown) => {
    if (typeof value !== 'string') return ['must be a JSON array'];
    const parsed = parsePairingRules(value);
    return parsed.ok ? [] : parsed.problems;
  };
  return ValidateBy({
    name: 'isPairingRules',
    validator: {
      validate: (value: unknown) => problems(value).length === 0,
      defaultMessage: (args) => `is not a valid list of pairing rules: ${problems(args?.value).join('; ')}`,
    },
  });
}

export class CorrelatorEnv extends BaseEnv {
  override HTTP_PORT: number = SERVICE_PORTS.correlator;

  /** How often the outbox relay looks for rows other replicas (or a crashed run) left behind. */
  @Max(60_000)
  @Min(10)
  @IsInt()
  OUTBOX_POLL_INTERVAL_MS: number = 500;

  @Max(5000)
  @Min(1)
  @IsInt()
  OUTBOX_BATCH_SIZE: number = 200;

  /**
   * How long a change is its writer's to publish after its transaction began; past it the relay
   * of any replica publishes it (the writer crashed or could not reach NATS).
   */
  @Max(600_000)
  @Min(100)
  @IsInt()
  OUTBOX_LEASE_MS: number = 5000;

  @Max(100)
  @Min(2)
  @IsInt()
  DATABASE_POOL_SIZE: number = 10;

  /**
   * An active alert without an occurrence for this long expires (Alerta's default: a day). An event
   * may set its alert's timeout with `attributes.timeoutSeconds`. 0: alerts never expire.
   */
  @Max(365 * DAY)
  @Min(0)
  @IsInt()
  ALERT_TIMEOUT_SECONDS: number = DAY;

  /** A resolved or expired alert that fires again within this window reopens; then it is closed. */
  @Max(30 * DAY)
  @Min(0)
  @IsInt()
  REOPEN_WINDOW_SECONDS: number = 3600;

  /** This many open↔resolved transitions within FLAP_WINDOW_SECONDS make an alert flap. 0: never. */
  @Max(100)
  @Min(0)
  @IsInt()
  FLAP_THRESHOLD: number = 5;

  /** The flap-detection window; a flapping alert is stable again after this long without a transition. */
  @Max(DAY)
  @Min(1)
  @IsInt()
  FLAP_WINDOW_SECONDS: number = 600;

  /** How often each replica looks for due timers (expiry, snooze ends, reopen windows, flap checks). */
  @Max(60_000)
  @Min(10)
  @IsInt()
  TIMER_POLL_INTERVAL_MS: number = 1000;

  @Max(5000)
  @Min(1)
  @IsInt()
  TIMER_BATCH_SIZE: number = 100;

  /** How often each replica looks for heartbeat deadlines that passed. */
  @Max(60_000)
  @Min(10)
  @IsInt()
  HEARTBEAT_POLL_INTERVAL_MS: number = 1000;

  /**
   * How long after the pipeline has passed a heartbeat's deadline the miss is judged: room for an
   * event's trip from ingest to the correlator, and for clocks that disagree a little.
   */
  @Max(3_600_000)
  @Min(0)
  @IsInt()
  HEARTBEAT_GRACE_MS: number = 5000;

  /** How often each replica reloads heartbeat definitions changed by other replicas. */
  @Max(3_600_000)
  @Min(100)
  @IsInt()
  HEARTBEAT_REFRESH_INTERVAL_MS: number = 5000;

  /**
   * Problem/resolution pairs, a JSON array: `[{"problem": "LinkDown", "resolution": "LinkUp",
   * "match": ["node", "labels.ifname"]}]` (`match` defaults to `["node"]`).
   */
  @IsPairingRules()
  @IsString()
  CORRELATOR_PAIRING_RULES: string = '[]';

  get lifecyclePolicy(): LifecyclePolicy {
    return {
      defaultTimeoutSeconds: this.ALERT_TIMEOUT_SECONDS,
      reopenWindowSeconds: this.REOPEN_WINDOW_SECONDS,
      flapThreshold: this.FLAP_THRESHOLD,
      flapWindowSeconds: this.FLAP_WINDOW_SECONDS,
    };
  }

  get pairingRules(): PairingRule[] {
    const parsed = parsePairingRules(this.CORRELATOR_PAIRING_RULES);
    // Validated at start-up, so a failure here is a bug, not bad input.
    if (!parsed.ok) throw new Error(`CORRELATOR_PAIRING_RULES: ${parsed.problems.join('; ')}`);
    return parsed.rules;
  }

  /** How long before a maintenance window ends its still-firing alerts announce `maintenance_ending`. 0: no notice. */
  @Max(7 * DAY)
  @Min(0)
  @IsInt()
  MAINTENANCE_ENDING_NOTICE_SECONDS: number = 300;

  /** How often each replica reloads maintenance windows and inhibition rules changed by other replicas. */
  @Max(3_600_000)
  @Min(100)
  @IsInt()
  SILENCE_REFRESH_INTERVAL_MS: number = 5000;

  /** How often each replica checks for a correlation rule set saved elsewhere whose notice it missed. */
  @Max(3_600_000)
  @Min(100)
  @IsInt()
  INCIDENT_RULES_POLL_INTERVAL_MS: number = 10_000;

  /** Days of event occurrences kept before today's (UTC); older daily partitions are dropped. */
  @Max(3650)
  @Min(1)
  @IsInt()
  OCCURRENCE_RETENTION_DAYS: number = 30;

  /** Closed alerts whose last change is older than this many days move to `alerts_archive`. */
  @Max(36500)
  @Min(1)
  @IsInt()
  CLOSED_ALERT_ARCHIVE_DAYS: number = 90;

  /** Between housekeeping passes (partitions, retention, archive); one pass also runs at start-up. */
  @Max(86_400_000)
  @Min(1000)
  @IsInt()
  HOUSEKEEPING_INTERVAL_MS: number = 3_600_000;
}

import { BaseEnv, Secret, SERVICE_PORTS } from '@vigil/config';
import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

export class ClassifierEnv extends BaseEnv {
  override HTTP_PORT: number = SERVICE_PORTS.classifier;

  /**
   * How often each replica checks Postgres for a newer rule set or lookup table. Saves are announced
   * on NATS at once; the poll only bounds how stale a replica that missed the notice can be.
   */
  @Max(3_600_000)
  @Min(100)
  @IsInt()
  RULES_POLL_INTERVAL_MS: number = 30_000;

  /** Largest HTTP body: a rule set, a lookup table, or a dry run's sample events. */
  @Max(64 * 1024 * 1024)
  @Min(1024)
  @IsInt()
  CLASSIFIER_MAX_BODY_BYTES: number = 8 * 1024 * 1024;

  /**
   * Bearer token of the rules, tables and dry-run API. Unset, the API is open (with a warning at
   * start-up): set it wherever the classifier's port is reachable by more than its operators.
   */
  @IsOptional()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @IsString()
  @Secret()
  CLASSIFIER_ADMIN_TOKEN?: string;
}

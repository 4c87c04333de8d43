import { BaseEnv, SERVICE_PORTS } from '@vigil/config';
import { IsInt, Max, Min } from 'class-validator';

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

  @Max(100)
  @Min(2)
  @IsInt()
  DATABASE_POOL_SIZE: number = 10;
}

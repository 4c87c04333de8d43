import { BaseEnv, SERVICE_PORTS } from '@vigil/config';
import { IsInt, Max, Min } from 'class-validator';

export class IngestEnv extends BaseEnv {
  override HTTP_PORT: number = SERVICE_PORTS.ingest;

  /** Largest HTTP request body accepted, in bytes. */
  @Max(16 * 1024 * 1024)
  @Min(1024)
  @IsInt()
  INGEST_MAX_BODY_BYTES: number = 1024 * 1024;
}

import { BaseEnv, Secret, SERVICE_PORTS, SYSLOG_PORT } from '@vigil/config';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

export const INGEST_AUTH_MODES = ['required', 'optional', 'off'] as const;
export type IngestAuthMode = (typeof INGEST_AUTH_MODES)[number];

export class IngestEnv extends BaseEnv {
  override HTTP_PORT: number = SERVICE_PORTS.ingest;

  /** Largest single event: an HTTP body, a NATS message or a syslog line. */
  @Max(16 * 1024 * 1024)
  @Min(1024)
  @IsInt()
  INGEST_MAX_EVENT_BYTES: number = 64 * 1024;

  /** Largest body of the batch endpoint and of webhooks that carry several events (Alertmanager). */
  @Max(64 * 1024 * 1024)
  @Min(1024)
  @IsInt()
  INGEST_MAX_BATCH_BYTES: number = 4 * 1024 * 1024;

  /** Most events in one batch request. */
  @Max(10_000)
  @Min(1)
  @IsInt()
  INGEST_BATCH_MAX_EVENTS: number = 500;

  /** An `occurredAt` later than now plus this is refused: a producer's clock is wrong. */
  @Max(7 * 24 * 3600)
  @Min(0)
  @IsInt()
  INGEST_MAX_FUTURE_SECONDS: number = 300;

  /**
   * `required`: every HTTP producer presents an API key. `optional`: a key is checked when presented,
   * anonymous producers may send as any source (a trusted network, or trying Vigil out). `off`: keys
   * are ignored.
   */
  @IsIn(INGEST_AUTH_MODES)
  INGEST_AUTH: IngestAuthMode = 'required';

  /** Bearer token of the admin API (`/api/v1/admin/*`); the admin API is disabled without one. */
  @IsOptional()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @IsString()
  @Secret()
  INGEST_ADMIN_TOKEN?: string;

  /** Sustained events per second per API key (per source for anonymous producers); 0 disables. */
  @Max(1_000_000)
  @Min(0)
  @IsInt()
  INGEST_RATE_PER_SECOND: number = 1000;

  /**
   * Token bucket size, in seconds of the producer's rate: how much it may send at once above its
   * sustained rate (a key with its own rate gets a burst in proportion).
   */
  @Max(3600)
  @Min(1)
  @IsInt()
  INGEST_RATE_BURST_SECONDS: number = 5;

  /**
   * Back-pressure: when this many publishes await JetStream's acknowledgement, HTTP answers 503
   * with Retry-After instead of queueing more in memory.
   */
  @Max(1_000_000)
  @Min(1)
  @IsInt()
  INGEST_MAX_PENDING_PUBLISHES: number = 5000;

  /** Syslog listener address. */
  @IsString()
  SYSLOG_HOST: string = '0.0.0.0';

  /** Syslog over UDP; 0 picks a free port, -1 disables the listener. */
  @Max(65535)
  @Min(-1)
  @IsInt()
  SYSLOG_UDP_PORT: number = SYSLOG_PORT;

  /** Syslog over TCP (octet counting or newline framing); 0 picks a free port, -1 disables it. */
  @Max(65535)
  @Min(-1)
  @IsInt()
  SYSLOG_TCP_PORT: number = SYSLOG_PORT;

  /**
   * Kernel receive buffer of the UDP socket: what absorbs a burst while ingest is busy. Linux caps
   * it at net.core.rmem_max (ingest warns when it got less).
   */
  @Max(256 * 1024 * 1024)
  @Min(65536)
  @IsInt()
  SYSLOG_UDP_RECEIVE_BUFFER_BYTES: number = 4 * 1024 * 1024;
}

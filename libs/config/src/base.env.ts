import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ExcludesWith, IsReadableFile, RequiresWith, Secret } from './env-rules';
import { DEFAULT_DATABASE_URL, DEFAULT_NATS_URL } from './services';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/*
 * Variables carry explicit types (the SWC build emits type metadata only for annotated fields) and
 * list their type check last: rules run bottom-up and the first failure is the one reported.
 */

/**
 * Where the platform's NATS and Postgres are and how this run is named: what every process reads,
 * the services and the `vigil` command alike. Defaults work on a developer machine.
 */
export class ConnectionEnv {
  @Matches(/^(nats|tls|wss?):\/\/[^\s]+$/, {
    message: 'must be a nats:// URL (comma-separate several servers)',
  })
  NATS_URL: string = DEFAULT_NATS_URL;

  /*
   * How this process proves who it is to NATS: a user and password, a token, or a `.creds` file
   * (decentralised JWT auth) — at most one of them. Empty: no credentials.
   */
  @RequiresWith('NATS_PASSWORD')
  @IsString()
  NATS_USER: string = '';

  @RequiresWith('NATS_USER')
  @IsString()
  @Secret()
  NATS_PASSWORD: string = '';

  @ExcludesWith('NATS_USER', 'NATS_CREDS_FILE')
  @IsString()
  @Secret()
  NATS_TOKEN: string = '';

  /** A `.creds` file (user JWT and NKey seed); re-read at every reconnect, so it can be rotated. */
  @ExcludesWith('NATS_USER')
  @IsReadableFile()
  @IsString()
  NATS_CREDS_FILE: string = '';

  /** PEM file of the CA that signed the NATS server's certificate, when it is not a public one. */
  @IsReadableFile()
  @IsString()
  NATS_TLS_CA_FILE: string = '';

  /** Client certificate and its key (PEM) for servers that verify clients (mutual TLS). */
  @RequiresWith('NATS_TLS_KEY_FILE')
  @IsReadableFile()
  @IsString()
  NATS_TLS_CERT_FILE: string = '';

  @RequiresWith('NATS_TLS_CERT_FILE')
  @IsReadableFile()
  @IsString()
  NATS_TLS_KEY_FILE: string = '';

  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL: string = DEFAULT_DATABASE_URL;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @Matches(/^[A-Za-z0-9_-]*$/, { message: 'may contain only letters, digits, "_" and "-"' })
  @IsString()
  VIGIL_SUBJECT_PREFIX: string = '';

  /** Replicas of each JetStream stream: 1 on a single server, 3 on a NATS cluster. */
  @IsIn([1, 3, 5], { message: 'must be 1, 3 or 5' })
  @IsInt()
  NATS_STREAM_REPLICAS: number = 1;

  /**
   * How long a producer's id is remembered: a re-send with the same id within this window creates no
   * second occurrence. Applies to the raw and accepted streams; JetStream keeps one entry per id.
   */
  @Max(7 * 24 * 3600)
  @Min(1)
  @IsInt()
  NATS_DUPLICATE_WINDOW_SECONDS: number = 600;
}

/** What every service reads; a service extends it with its own variables and default `HTTP_PORT`. */
export class BaseEnv extends ConnectionEnv {
  /** Each service sets its own default (SERVICE_PORTS). */
  @Max(65535)
  @Min(0)
  @IsInt()
  HTTP_PORT!: number;

  /** How long a graceful shutdown may spend finishing in-flight messages before it gives up. */
  @Max(600_000)
  @Min(0)
  @IsInt()
  SHUTDOWN_TIMEOUT_MS: number = 15_000;
}

import { readFileSync } from 'node:fs';
import { credsAuthenticator, errors } from '@nats-io/transport-node';
import type { ConnectionOptions } from '@nats-io/transport-node';
import { withoutCredentials } from '@vigil/config';
import type { ConnectionEnv } from '@vigil/config';
import type { MessagingOptions, NatsConnectionOptions } from './messaging.options';

/** What the environment says about messaging, before a process adds its name and consumers. */
export type MessagingEnvOptions = NatsConnectionOptions &
  Pick<MessagingOptions, 'prefix' | 'streamReplicas' | 'producerDuplicateWindowSeconds'>;

const orUndefined = (value: string) => (value === '' ? undefined : value);

/**
 * The one mapping from the environment (`NATS_*`, `VIGIL_SUBJECT_PREFIX`) to messaging options,
 * used by every service, the CLI and the test helpers, so a new setting is wired in one place.
 */
export function messagingOptionsFromEnv(env: ConnectionEnv): MessagingEnvOptions {
  const tls = {
    caFile: orUndefined(env.NATS_TLS_CA_FILE),
    certFile: orUndefined(env.NATS_TLS_CERT_FILE),
    keyFile: orUndefined(env.NATS_TLS_KEY_FILE),
  };
  return {
    servers: env.NATS_URL,
    user: orUndefined(env.NATS_USER),
    password: orUndefined(env.NATS_PASSWORD),
    token: orUndefined(env.NATS_TOKEN),
    credsFile: orUndefined(env.NATS_CREDS_FILE),
    tls: tls.caFile || tls.certFile ? tls : undefined,
    prefix: env.VIGIL_SUBJECT_PREFIX,
    streamReplicas: env.NATS_STREAM_REPLICAS,
    producerDuplicateWindowSeconds: env.NATS_DUPLICATE_WINDOW_SECONDS,
  };
}

/** The servers as a list, each with any `user:password@` removed: safe to log. */
export function redactNatsServers(servers: string): string {
  return withoutCredentials(
    servers
      .split(',')
      .map((server) => server.trim())
      .join(','),
  );
}

/**
 * nats.js options for our connection settings. Without TLS files nats.js still upgrades to TLS when
 * the server asks for it (trusting the system's CAs); with them it requires TLS.
 */
export function natsConnectOptions(options: NatsConnectionOptions): ConnectionOptions {
  const { credsFile, tls } = options;
  return {
    servers: options.servers.split(',').map((s) => s.trim()),
    ...(options.user !== undefined ? { user: options.user, pass: options.password } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
    // Read at every (re)connect, so a rotated creds file (a mounted Secret) is picked up.
    ...(credsFile !== undefined ? { authenticator: credsAuthenticator(() => readFileSync(credsFile)) } : {}),
    ...(tls ? { tls: { ...tls } } : {}),
  };
}

/** How we tried to authenticate, for an error message: names and paths, never secrets. */
export function describeNatsCredentials(options: NatsConnectionOptions): string {
  if (options.user !== undefined) return `as user "${options.user}" (NATS_USER, NATS_PASSWORD)`;
  if (options.token !== undefined) return 'with the token in NATS_TOKEN';
  if (options.credsFile !== undefined) return `with the creds file ${options.credsFile} (NATS_CREDS_FILE)`;
  return 'without credentials (set NATS_USER and NATS_PASSWORD, NATS_TOKEN or NATS_CREDS_FILE)';
}

function describeTls(options: NatsConnectionOptions): string {
  const { caFile, certFile } = options.tls ?? {};
  const trust = caFile ? `trusting the CA in ${caFile} (NATS_TLS_CA_FILE)` : "trusting the system's CAs";
  const client = certFile
    ? `, client certificate ${certFile} (NATS_TLS_CERT_FILE)`
    : ', no client certificate';
  return `${trust}${client}`;
}

/**
 * Why connecting failed: credentials, TLS, a configured file or a contradiction with the server,
 * which retrying cannot fix, or `unreachable` when a first-connection deadline passed.
 */
export type NatsConnectProblem = 'credentials' | 'tls' | 'file' | 'configuration' | 'unreachable';

/** Node's certificate verification codes (node:tls `authorizationError.code`), from its docs. */
const CERTIFICATE_ERRORS = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CRL_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'CRL_NOT_YET_VALID',
  'CRL_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERROR_IN_CRL_LAST_UPDATE_FIELD',
  'ERROR_IN_CRL_NEXT_UPDATE_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
]);

function errorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : '';
}

/**
 * A failure that will repeat on every attempt until someone changes the configuration, so a process
 * should stop with the reason instead of waiting for NATS forever. Anything else (refused, reset,
 * timed out, no such host yet) is worth retrying.
 */
export function permanentConnectProblem(error: unknown): NatsConnectProblem | undefined {
  if (error instanceof errors.AuthorizationError || error instanceof errors.UserAuthenticationExpiredError)
    return 'credentials';
  const code = errorCode(error);
  if (['ENOENT', 'EACCES', 'EISDIR'].includes(code)) return 'file';
  // The server's certificate failed our checks, or node's TLS layer refused (ERR_TLS_CERT_ALTNAME_INVALID,
  // ERR_SSL_WRONG_VERSION_NUMBER when the port speaks no TLS…).
  if (CERTIFICATE_ERRORS.has(code) || /^ERR_(TLS|SSL)_/.test(code)) return 'tls';
  // nats.js: we want TLS and the server offers none ("server does not support 'tls'", a ConnectionError
  // like a refused connection, told apart only by its text), or the server wants TLS we cannot do.
  if (error instanceof errors.ConnectionError && error.message.startsWith('server does not support'))
    return 'configuration';
  if (error instanceof errors.InvalidArgumentError) return 'configuration';
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * Why a connection attempt that may succeed later failed. A server that requires client certificates
 * closes a TLS connection without one, and nats.js then reports only a timeout: say what may be missing.
 */
export function describeUnreachable(options: NatsConnectionOptions, error: unknown): string {
  const reason = messageOf(error);
  const hint =
    error instanceof errors.TimeoutError && options.tls && !options.tls.certFile
      ? '; a server that requires client certificates (mutual TLS) closes connections without one:' +
        ' set NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE if it does'
      : '';
  return `${reason}${hint}`;
}

/** A connection failure that retrying will not fix, explained with the settings that caused it. */
export class NatsConnectError extends Error {
  constructor(
    readonly problem: NatsConnectProblem,
    options: NatsConnectionOptions,
    cause: unknown,
  ) {
    const at = redactNatsServers(options.servers);
    const reason = messageOf(cause);
    const detail = {
      credentials: `the server refused our credentials (${reason}): we connected ${describeNatsCredentials(options)}`,
      tls: `TLS failed (${reason}), ${describeTls(options)}`,
      file: `a configured file cannot be read (${reason})`,
      configuration: `${reason} (${options.tls ? describeTls(options) : 'no NATS_TLS_* files set'})`,
      unreachable: `not reachable in time (${describeUnreachable(options, cause)})`,
    }[problem];
    super(`cannot connect to NATS at ${at}: ${detail}`, { cause });
    this.name = 'NatsConnectError';
  }
}

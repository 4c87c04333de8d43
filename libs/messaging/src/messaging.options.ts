import type { ConsumerDefinition } from '@vigil/contracts';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** PEM files for TLS: a private CA to trust, and a client certificate with its key (mutual TLS). */
export interface NatsTlsFiles {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/**
 * Where NATS is and how to prove who we are: at most one of user/password, token and creds file.
 * `natsConnectionFromEnv` fills it from the environment; `natsConnectOptions` turns it into nats.js
 * options. Never log it: it carries secrets.
 */
export interface NatsConnectionOptions {
  /** One or more NATS URLs, comma-separated. */
  servers: string;
  user?: string;
  password?: string;
  token?: string;
  /** A `.creds` file: the user's JWT and NKey seed (decentralised auth). */
  credsFile?: string;
  tls?: NatsTlsFiles;
}

export interface MessagingOptions extends NatsConnectionOptions {
  /** Service name: NATS connection name, RPC queue group and metric prefix. */
  service: string;
  /** Subject/stream prefix isolating tenants and test runs (`VIGIL_SUBJECT_PREFIX`). */
  prefix: string;
  /** Replicas of each stream when provisioning creates or updates it. */
  streamReplicas: number;
  /** Re-send window of the streams that de-duplicate producers' ids (`NATS_DUPLICATE_WINDOW_SECONDS`). */
  producerDuplicateWindowSeconds?: number;
  /** Durable consumers this service runs; each needs an `@EventPattern(subject)` handler. */
  consumers: readonly ConsumerDefinition[];
  /**
   * Gives up the first connection after this long. Unset (services): keep trying, since NATS may
   * start after us; tools and tests that must not hang set it.
   */
  firstConnectTimeoutMs?: number;
  /** Budget for finishing in-flight messages on shutdown. */
  shutdownTimeoutMs: number;
}

import type { ConsumerDefinition } from '@vigil/contracts';

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingOptions {
  /** Service name: NATS connection name, RPC queue group and metric prefix. */
  service: string;
  /** One or more NATS URLs, comma-separated. */
  servers: string;
  /** Subject/stream prefix isolating tenants and test runs (`VIGIL_SUBJECT_PREFIX`). */
  prefix: string;
  /** Replicas of each stream when provisioning creates or updates it. */
  streamReplicas: number;
  /** Re-send window of the streams that de-duplicate producers' ids (`NATS_DUPLICATE_WINDOW_SECONDS`). */
  producerDuplicateWindowSeconds?: number;
  /** Durable consumers this service runs; each needs an `@EventPattern(subject)` handler. */
  consumers: readonly ConsumerDefinition[];
  /** Budget for finishing in-flight messages on shutdown. */
  shutdownTimeoutMs: number;
}

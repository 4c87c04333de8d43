import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import {
  AckPolicy,
  ConsumerConfig,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  JetStreamManager,
  RetentionPolicy,
  StorageType,
  StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { ConsumerDefinition, StreamDefinition, SubjectSpace } from '@vigil/contracts';
import { MESSAGING_OPTIONS } from './messaging.options';
import type { MessagingOptions } from './messaging.options';
import { NatsClient } from './nats.client';

const NOT_FOUND = [10014, 10059];

export function streamConfig(
  def: StreamDefinition,
  space: SubjectSpace,
  replicas = 1,
  producerDuplicateWindowSeconds?: number,
): Partial<StreamConfig> & { name: string } {
  const duplicateWindowSeconds =
    def.producerIdempotency && producerDuplicateWindowSeconds !== undefined
      ? producerDuplicateWindowSeconds
      : def.duplicateWindowSeconds;
  return {
    name: space.stream(def.name),
    description: def.description,
    subjects: [space.wildcard(def.family)],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(def.maxAgeSeconds * 1000),
    duplicate_window: nanos(duplicateWindowSeconds * 1000),
    num_replicas: replicas,
  };
}

export function consumerConfig(def: ConsumerDefinition, space: SubjectSpace): Partial<ConsumerConfig> {
  return {
    durable_name: def.durable,
    description: def.description,
    // All, not New: a consumer created after producers started must still see what they sent.
    deliver_policy: DeliverPolicy.All,
    ack_policy: AckPolicy.Explicit,
    filter_subject: space.wildcard(def.subject),
    max_deliver: def.maxDeliver,
    ack_wait: nanos(def.ackWaitSeconds * 1000),
    max_ack_pending: def.maxAckPending,
  };
}

function isNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && NOT_FOUND.includes(error.code);
}

/**
 * Creates or updates streams and durable consumers so that every start-up converges on the
 * definitions in libs/contracts. Safe to run from several processes at once.
 */
@Injectable()
export class Provisioner {
  private readonly logger = new Logger(Provisioner.name);

  constructor(
    private readonly nats: NatsClient,
    @Optional()
    @Inject(MESSAGING_OPTIONS)
    private readonly options?: Pick<MessagingOptions, 'streamReplicas' | 'producerDuplicateWindowSeconds'>,
  ) {}

  async ensureStreams(defs: readonly StreamDefinition[]): Promise<void> {
    const replicas = this.options?.streamReplicas ?? 1;
    for (const def of defs) {
      await this.ensureStream(
        this.nats.jsm,
        streamConfig(def, this.nats.space, replicas, this.options?.producerDuplicateWindowSeconds),
      );
    }
  }

  async ensureConsumers(defs: readonly ConsumerDefinition[]): Promise<void> {
    for (const def of defs) {
      await this.ensureConsumer(
        this.nats.jsm,
        this.nats.space.stream(def.stream),
        consumerConfig(def, this.nats.space),
      );
    }
  }

  private async ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }) {
    try {
      const info = await jsm.streams.info(config.name);
      const current = info.config;
      const drifted =
        current.description !== config.description ||
        current.max_age !== config.max_age ||
        current.duplicate_window !== config.duplicate_window ||
        current.num_replicas !== config.num_replicas ||
        JSON.stringify(current.subjects) !== JSON.stringify(config.subjects);
      if (drifted) {
        await jsm.streams.update(config.name, config);
        this.logger.log(`updated stream ${config.name}`);
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        await jsm.streams.add(config);
        this.logger.log(`created stream ${config.name} (${config.subjects?.join(', ')})`);
      } catch (addError) {
        // Another process created it between our info and add: that is the state we wanted.
        const created = await jsm.streams.info(config.name).then(
          () => true,
          () => false,
        );
        if (!created) throw addError;
      }
    }
  }

  private async ensureConsumer(jsm: JetStreamManager, stream: string, config: Partial<ConsumerConfig>) {
    const name = config.durable_name ?? '';
    try {
      const info = await jsm.consumers.info(stream, name);
      const current = info.config;
      const drifted =
        current.description !== config.description ||
        current.max_deliver !== config.max_deliver ||
        current.ack_wait !== config.ack_wait ||
        current.max_ack_pending !== config.max_ack_pending ||
        current.filter_subject !== config.filter_subject;
      if (drifted) {
        const { description, max_deliver, ack_wait, max_ack_pending, filter_subject } = config;
        await jsm.consumers.update(stream, name, {
          description,
          max_deliver,
          ack_wait,
          max_ack_pending,
          filter_subject,
        });
        this.logger.log(`updated consumer ${stream}/${name}`);
      }
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await jsm.consumers.add(stream, config);
      this.logger.log(`created consumer ${stream}/${name}`);
    }
  }
}

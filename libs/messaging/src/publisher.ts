import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { headers as natsHeaders, MsgHdrs } from '@nats-io/transport-node';
import { PayloadOf, Subject } from '@vigil/contracts';
import { Counter } from 'prom-client';
import { JetStreamAsyncPublisher } from './async-publisher';
import { MessagingMetrics } from './messaging.metrics';
import { NatsClient } from './nats.client';

export interface PublishOptions {
  /** Becomes `Nats-Msg-Id`: a re-publish within the stream's duplicate window is dropped. */
  msgId: string;
  headers?: Readonly<Record<string, string>>;
}

export interface PublishResult {
  stream: string;
  seq: number;
  /** True when the stream already held a message with this id. */
  duplicate: boolean;
}

const encoder = new TextEncoder();

export function toNatsHeaders(values: Readonly<Record<string, string>> | undefined): MsgHdrs | undefined {
  if (!values) return undefined;
  const h = natsHeaders();
  for (const [key, value] of Object.entries(values)) h.set(key, value);
  return h;
}

/**
 * Typed JetStream publisher: the payload type follows the subject family, every publish carries a
 * message id, and the promise resolves only once the stream has stored the message (PubAck).
 * Publishes are pipelined: a batch's publishes are all in flight together.
 */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  private readonly published: Counter<'family' | 'duplicate'>;
  private readonly jetstream: JetStreamAsyncPublisher;

  constructor(
    private readonly nats: NatsClient,
    metrics: MessagingMetrics,
  ) {
    this.published = metrics.published;
    this.jetstream = new JetStreamAsyncPublisher(nats.connection);
  }

  async publish<S extends Subject>(
    family: S,
    token: string,
    payload: PayloadOf<S>,
    options: PublishOptions,
  ): Promise<PublishResult> {
    return this.publishBytes(family, token, encoder.encode(JSON.stringify(payload)), options);
  }

  /** For payloads already serialised (the outbox) or that must travel byte for byte. */
  async publishBytes(
    family: Subject,
    token: string,
    data: Uint8Array,
    options: PublishOptions,
  ): Promise<PublishResult> {
    const ack = await this.jetstream.publish(
      this.nats.space.subject(family, token),
      data,
      options.msgId,
      options.headers,
    );
    this.published.inc({ family, duplicate: String(ack.duplicate) });
    return ack;
  }

  /** Publishes awaiting their acknowledgement: how far JetStream is behind this process. */
  get inFlight(): number {
    return this.jetstream.inFlight;
  }

  onApplicationShutdown(): void {
    this.jetstream.close();
  }
}

import { Injectable } from '@nestjs/common';
import { headers as natsHeaders, MsgHdrs } from '@nats-io/transport-node';
import { PayloadOf, Subject } from '@vigil/contracts';
import { Counter } from 'prom-client';
import { NatsClient } from './nats.client';
import { MessagingMetrics } from './messaging.metrics';

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
 */
@Injectable()
export class EventPublisher {
  private readonly published: Counter<'family' | 'duplicate'>;

  constructor(
    private readonly nats: NatsClient,
    metrics: MessagingMetrics,
  ) {
    this.published = metrics.published;
  }

  async publish<S extends Subject>(
    family: S,
    token: string,
    payload: PayloadOf<S>,
    options: PublishOptions,
  ): Promise<PublishResult> {
    return this.publishBytes(family, token, encoder.encode(JSON.stringify(payload)), options);
  }

  /** For payloads that must travel byte-for-byte (replays of producer input). */
  async publishBytes(
    family: Subject,
    token: string,
    data: Uint8Array,
    options: PublishOptions,
  ): Promise<PublishResult> {
    const ack = await this.nats.js.publish(this.nats.space.subject(family, token), data, {
      msgID: options.msgId,
      headers: toNatsHeaders(options.headers),
    });
    this.published.inc({ family, duplicate: String(ack.duplicate) });
    return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
  }
}

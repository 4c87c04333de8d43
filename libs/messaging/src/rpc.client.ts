import { Injectable } from '@nestjs/common';
import {
  FieldError,
  RpcEnvelope,
  RpcErrorCode,
  RpcReplyOf,
  RpcRequestOf,
  RpcSubject,
} from '@vigil/contracts';
import { NatsClient } from './nats.client';
import { toNatsHeaders } from './publisher';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A refused request: the responder's error code, message and field errors. */
export class RpcError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** Core-NATS request/reply with the subject's request and reply types checked at compile time. */
@Injectable()
export class RpcClient {
  constructor(private readonly nats: NatsClient) {}

  async request<S extends RpcSubject>(
    subject: S,
    payload: RpcRequestOf<S>,
    options: { timeoutMs?: number; headers?: Record<string, string> } = {},
  ): Promise<RpcReplyOf<S>> {
    const reply = await this.nats.connection.request(
      this.nats.space.exact(subject),
      encoder.encode(JSON.stringify(payload)),
      { timeout: options.timeoutMs ?? 5000, headers: toNatsHeaders(options.headers) },
    );
    const envelope = JSON.parse(decoder.decode(reply.data)) as RpcEnvelope<RpcReplyOf<S>>;
    if (!envelope.ok) throw new RpcError(envelope.error.code, envelope.error.message, envelope.error.details);
    return envelope.data;
  }
}

import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { BaseRpcContext, CustomTransportStrategy, MessageHandler, Server } from '@nestjs/microservices';
import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Msg, MsgHdrs, Subscription } from '@nats-io/transport-node';
import {
  ConsumerDefinition,
  DeadLetterV1,
  encodeOriginal,
  Headers,
  validatePlain,
  RpcEnvelope,
  SchemaIds,
  Subjects,
} from '@vigil/contracts';
import { lastValueFrom } from 'rxjs';
import { errorText, InvalidMessageError, RpcFailure, UnprocessableMessageError } from './errors';
import { MessagingMetrics } from './messaging.metrics';
import { MESSAGING_OPTIONS } from './messaging.options';
import type { MessagingOptions } from './messaging.options';
import { NatsClient } from './nats.client';
import { EventPublisher } from './publisher';
import { Batcher } from './batcher';
import { redeliveryDelayMs } from './retry';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function headersToRecord(headers: MsgHdrs | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  for (const key of headers.keys()) record[key] = headers.get(key);
  return record;
}

/** Parses a message body as JSON; a parse failure is the sender's fault and is never retried. */
export function decodeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch (error) {
    throw new InvalidMessageError([{ field: '$', reason: `is not valid JSON (${errorText(error)})` }]);
  }
}

/**
 * What an `@EventPattern` handler can ask about a batch via `@Ctx()`: message `i` of the batch is
 * payload `i` of the handler's array.
 */
export class JetStreamBatchContext extends BaseRpcContext<[JsMsg[]]> {
  get messages(): JsMsg[] {
    return this.args[0];
  }

  subject(index: number): string {
    return this.messages[index].subject;
  }

  deliveryCount(index: number): number {
    return this.messages[index].info.deliveryCount;
  }

  /** Store time of the message in its stream. */
  storedAt(index: number): Date {
    return this.messages[index].time;
  }

  header(index: number, name: string): string | undefined {
    return this.messages[index].headers?.get(name) || undefined;
  }

  /** Headers to carry onto whatever message `index` causes to be published (trace context). */
  propagatedHeaders(index: number): Record<string, string> {
    const traceparent = this.header(index, Headers.TraceParent);
    return traceparent ? { [Headers.TraceParent]: traceparent } : {};
  }
}

/** What a `@MessagePattern` handler can ask about the request via `@Ctx()`. */
export class NatsRequestContext extends BaseRpcContext<[Msg]> {
  get message(): Msg {
    return this.args[0];
  }

  header(name: string): string | undefined {
    return this.message.headers?.get(name) || undefined;
  }
}

interface ConsumerRun {
  def: ConsumerDefinition;
  handler: MessageHandler;
  batcher: Batcher<JsMsg>;
  messages?: ConsumerMessages;
  loop?: Promise<void>;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * NestJS transport strategy over NATS JetStream. Each durable pull consumer in the service's
 * definitions feeds its `@EventPattern(subject)` handler with batches of validated payloads; each
 * `@MessagePattern(subject)` handler answers core-NATS requests in the service's queue group.
 *
 * Delivery contract: a message that breaks its contract is dead-lettered before the handler sees
 * it. The batch is acked after the handler's promise resolves; if it rejects, each message is tried
 * alone, so one poison message cannot hold back the rest. A message that fails is nak'ed with the
 * consumer's back-off, and after `maxDeliver` deliveries published to `deadletter.<durable>` with
 * the error and its original bytes, then terminated. On shutdown it stops pulling, hands unstarted
 * messages back (nak) and lets in-flight batches finish within the shutdown budget.
 */
@Injectable()
export class JetStreamTransport extends Server implements CustomTransportStrategy, OnModuleDestroy {
  private readonly runs: ConsumerRun[] = [];
  private readonly subscriptions: Subscription[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private closing?: Promise<void>;

  constructor(
    private readonly nats: NatsClient,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly publisher: EventPublisher,
    private readonly metrics: MessagingMetrics,
  ) {
    super();
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    let failure: unknown;
    try {
      await this.start();
    } catch (error) {
      failure = error;
    }
    callback(failure);
  }

  on(): never {
    throw new Error('JetStreamTransport emits no events; watch NatsClient.connection.status() instead');
  }

  unwrap<T>(): T {
    return this.nats.connection as T;
  }

  /** Handler runs currently in progress (for tests and shutdown logs). */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  async onModuleDestroy(): Promise<void> {
    // Destroy hooks run before Nest disposes transports: stopping here means the consumers are
    // quiet before the service's own providers (outbox relay, pools) start shutting down.
    await this.close();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async start(): Promise<void> {
    const handlers = this.getHandlers();
    const consumed = new Set<string>();
    for (const def of this.options.consumers) {
      const handler = handlers.get(def.subject);
      if (!handler?.isEventHandler) {
        throw new Error(`consumer ${def.durable} needs an @EventPattern('${def.subject}') handler`);
      }
      consumed.add(def.subject);
      const run: ConsumerRun = {
        def,
        handler,
        batcher: new Batcher<JsMsg>(def.batchSize, def.batchWaitMs, def.concurrency, (batch) =>
          this.dispatch(run, batch),
        ),
      };
      this.runs.push(run);
    }
    for (const [pattern, handler] of handlers) {
      if (handler.isEventHandler && !consumed.has(pattern)) {
        throw new Error(`@EventPattern('${pattern}') has no consumer definition in MessagingModule options`);
      }
      if (!handler.isEventHandler) this.subscribeRequests(pattern, handler);
    }
    for (const run of this.runs) {
      // Fail start-up if the consumer is missing rather than discovering it in the loop.
      await this.nats.js.consumers.get(this.nats.space.stream(run.def.stream), run.def.durable);
      run.loop = this.consume(run);
    }
  }

  private async consume(run: ConsumerRun): Promise<void> {
    const { def } = run;
    const stream = this.nats.space.stream(def.stream);
    while (!this.stopping) {
      try {
        const consumer = await this.nats.js.consumers.get(stream, def.durable);
        // The server's max_ack_pending bounds what is buffered here, whatever this asks for.
        run.messages = await consumer.consume({ max_messages: def.batchSize * (def.concurrency + 1) });
        for await (const msg of run.messages) {
          if (this.stopping) this.requeue(run, [msg]);
          else run.batcher.add(msg);
        }
      } catch (error) {
        if (!this.stopping) this.logger.warn(`consumer ${def.durable} interrupted: ${errorText(error)}`);
      }
      if (!this.stopping) await delay(1000);
    }
  }

  /** Runs a batch the batcher started; tracked so shutdown can wait for it. Never rejects. */
  private dispatch(run: ConsumerRun, batch: JsMsg[]): Promise<void> {
    const work = async () => {
      if (this.stopping) this.requeue(run, batch);
      else await this.handleBatch(run, batch);
    };
    const task: Promise<void> = work()
      .catch((error: unknown) => {
        this.logger.error(`${run.def.durable}: batch failed: ${errorText(error)}`);
      })
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
    return task;
  }

  private requeue(run: ConsumerRun, messages: JsMsg[]): void {
    for (const msg of messages) msg.nak();
    this.metrics.handled.inc({ consumer: run.def.durable, outcome: 'requeued' }, messages.length);
  }

  /** Parses and validates a message against the consumer's contract; a violation is never retried. */
  private decode(def: ConsumerDefinition, msg: JsMsg): unknown {
    if (def.payload === 'bytes') return msg.data;
    const result = validatePlain(def.payload, decodeJson(msg.data));
    if (!result.ok) throw new InvalidMessageError(result.errors);
    return result.value;
  }

  private async invoke(run: ConsumerRun, items: { msg: JsMsg; payload: unknown }[]): Promise<void> {
    const context = new JetStreamBatchContext([items.map((item) => item.msg)]);
    const result: unknown = await run.handler(
      items.map((item) => item.payload),
      context,
    );
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  private async handleBatch(run: ConsumerRun, messages: JsMsg[]): Promise<void> {
    const { durable } = run.def;
    const stopTimer = this.metrics.handlerDuration.startTimer({ consumer: durable });
    this.metrics.batchSize.observe({ consumer: durable }, messages.length);
    // Tell the server we are alive when a batch takes longer than half the ack wait.
    const progress = setInterval(
      () => messages.forEach((m) => m.working()),
      (run.def.ackWaitSeconds * 1000) / 2,
    );
    progress.unref();
    try {
      const items: { msg: JsMsg; payload: unknown }[] = [];
      for (const msg of messages) {
        try {
          items.push({ msg, payload: this.decode(run.def, msg) });
        } catch (error) {
          await this.onFailure(run, msg, error);
        }
      }
      if (!items.length) return;
      try {
        await this.invoke(run, items);
        this.ack(run, items);
      } catch (error) {
        if (items.length === 1) {
          await this.onFailure(run, items[0].msg, error);
          return;
        }
        // One bad message must not hold the others back: try each alone to find it.
        this.logger.warn(
          `${durable}: batch of ${items.length} failed, retrying one by one: ${errorText(error)}`,
        );
        for (const item of items) {
          try {
            await this.invoke(run, [item]);
            this.ack(run, [item]);
          } catch (itemError) {
            await this.onFailure(run, item.msg, itemError);
          }
        }
      }
    } finally {
      clearInterval(progress);
      stopTimer();
    }
  }

  private ack(run: ConsumerRun, items: { msg: JsMsg }[]): void {
    for (const item of items) item.msg.ack();
    this.metrics.handled.inc({ consumer: run.def.durable, outcome: 'acked' }, items.length);
  }

  private async onFailure(run: ConsumerRun, msg: JsMsg, error: unknown): Promise<void> {
    const { durable, maxDeliver, retryDelaysMs } = run.def;
    const deliveries = msg.info.deliveryCount;
    const invalid = error instanceof UnprocessableMessageError;
    if (!invalid && deliveries < maxDeliver) {
      const wait = redeliveryDelayMs(retryDelaysMs, deliveries);
      msg.nak(wait);
      this.metrics.handled.inc({ consumer: durable, outcome: 'retried' });
      this.logger.warn(
        `${durable}: delivery ${deliveries}/${maxDeliver} of ${msg.subject} failed, retry in ${wait} ms: ${errorText(error)}`,
      );
      return;
    }
    try {
      await this.deadLetter(run, msg, invalid ? 'invalid' : 'exhausted', error);
      msg.term();
      this.metrics.handled.inc({ consumer: durable, outcome: 'dead_lettered' });
      this.logger.warn(
        `${durable}: dead-lettered ${msg.subject} (seq ${msg.info.streamSequence}): ${errorText(error)}`,
      );
    } catch (deadLetterError) {
      // Without a dead letter the message must not be dropped: let the server deliver it again.
      msg.nak(redeliveryDelayMs(retryDelaysMs, deliveries));
      this.logger.error(`${durable}: could not dead-letter ${msg.subject}: ${errorText(deadLetterError)}`);
    }
  }

  private async deadLetter(
    run: ConsumerRun,
    msg: JsMsg,
    cause: DeadLetterV1['cause'],
    error: unknown,
  ): Promise<void> {
    const letter: DeadLetterV1 = {
      schema: SchemaIds.DeadLetterV1,
      failedAt: new Date().toISOString(),
      consumer: run.def.durable,
      stream: msg.info.stream,
      streamSequence: msg.info.streamSequence,
      subject: msg.subject,
      deliveryCount: msg.info.deliveryCount,
      cause,
      error: errorText(error),
      headers: headersToRecord(msg.headers),
      ...encodeOriginal(msg.data),
    };
    await this.publisher.publish(Subjects.DeadLetters, run.def.durable, letter, {
      msgId: `${msg.info.stream}:${msg.info.streamSequence}`,
    });
  }

  private subscribeRequests(pattern: string, handler: MessageHandler): void {
    const subject = this.nats.space.exact(pattern);
    const subscription = this.nats.connection.subscribe(subject, { queue: `vigil-${this.options.service}` });
    this.subscriptions.push(subscription);
    this.serveRequests(subscription, pattern, handler).catch((error: unknown) => {
      this.logger.error(`subscription ${subject} ended: ${errorText(error)}`);
    });
  }

  /** Answers requests concurrently; each answer is tracked so shutdown can wait for it. */
  private async serveRequests(
    subscription: Subscription,
    pattern: string,
    handler: MessageHandler,
  ): Promise<void> {
    for await (const msg of subscription) {
      const task: Promise<void> = this.answer(pattern, handler, msg).finally(() =>
        this.inFlight.delete(task),
      );
      this.inFlight.add(task);
    }
  }

  private async answer(pattern: string, handler: MessageHandler, msg: Msg): Promise<void> {
    let reply: RpcEnvelope<unknown>;
    try {
      const result: unknown = await handler(decodeJson(msg.data), new NatsRequestContext([msg]));
      const data: unknown = await lastValueFrom(this.transformToObservable(result), { defaultValue: null });
      reply = { ok: true, data };
      this.metrics.rpcHandled.inc({ subject: pattern, outcome: 'ok' });
    } catch (error) {
      reply = toErrorEnvelope(error);
      this.metrics.rpcHandled.inc({ subject: pattern, outcome: reply.ok ? 'ok' : reply.error.code });
      if (!reply.ok && reply.error.code === 'internal') {
        this.logger.error(`request ${pattern} failed: ${errorText(error)}`);
      }
    }
    if (msg.reply) msg.respond(encoder.encode(JSON.stringify(reply)));
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled(this.subscriptions.map((s) => s.drain()));
    for (const run of this.runs) {
      run.messages?.stop();
      // Messages still waiting for a batch go back at once rather than when their ack wait expires.
      this.requeue(run, run.batcher.take());
    }
    const pending = [...this.inFlight, ...this.runs.map((r) => r.loop ?? Promise.resolve())];
    const finished = await Promise.race([
      Promise.allSettled(pending).then(() => true),
      delay(this.options.shutdownTimeoutMs).then(() => false),
    ]);
    if (!finished) {
      this.logger.warn(
        `shutdown budget of ${this.options.shutdownTimeoutMs} ms spent with ${this.inFlight.size} messages in flight; ` +
          'they will be redelivered',
      );
    }
  }
}

export function toErrorEnvelope(error: unknown): RpcEnvelope<never> {
  if (error instanceof InvalidMessageError) {
    return { ok: false, error: { code: 'invalid_request', message: error.message, details: error.errors } };
  }
  if (error instanceof RpcFailure) {
    return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
  }
  return { ok: false, error: { code: 'internal', message: errorText(error) } };
}

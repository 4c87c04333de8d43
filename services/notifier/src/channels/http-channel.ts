import {
  buildMessage,
  ChannelAdapter,
  ChannelKind,
  DeliveryResult,
  parseChannelConfig,
  SendOptions,
} from './channel-adapter';
import { ChannelHttpClient, HttpAnswer, httpFailure, isSuccess } from './http-delivery';
import type { Notification } from './notification';

/** What every HTTP channel's target has: where to POST, and how long the whole delivery may take. */
export interface HttpTargetConfig {
  url: string;
  timeoutMs: number;
}

/** One POST: the serialised body (what a signature covers) and the channel's own headers. */
export interface HttpChannelRequest {
  body: string;
  headers: Record<string, string>;
}

/** A JSON request; `JSON.stringify` of the whole message, so no value can break the JSON. */
export function jsonRequest(
  message: unknown,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): HttpChannelRequest {
  return { body: JSON.stringify(message), headers: { ...headers, 'content-type': contentType } };
}

/**
 * The request/response handling every HTTP channel shares, so each adapter only says what it sends:
 * the configuration class, the request for a notification, and (when the receiver's 2xx can still
 * mean a refusal, or names what it accepted) how to read a success. A template that cannot render
 * is a permanent `template` failure; no answer in time, a refused or reset connection, and 408, 429
 * and 5xx are retryable (with the receiver's Retry-After); any other status is permanent.
 */
export abstract class HttpChannel<TConfig extends HttpTargetConfig> implements ChannelAdapter<TConfig> {
  abstract readonly kind: ChannelKind;
  protected abstract readonly configClass: new () => TConfig;

  constructor(
    protected readonly http: ChannelHttpClient,
    protected readonly clock: () => Date = () => new Date(),
  ) {}

  parseConfig(input: unknown): TConfig {
    return parseChannelConfig(this.kind, this.configClass, input);
  }

  abstract describe(config: TConfig): string;

  async send(
    config: TConfig,
    notification: Notification,
    options: SendOptions = {},
  ): Promise<DeliveryResult> {
    const request = buildMessage(this.kind, () => this.request(config, notification));
    const answer = await this.http.post(
      this.kind,
      config.url,
      request.body,
      request.headers,
      config.timeoutMs,
      options.signal,
    );
    if (!isSuccess(answer.status)) throw httpFailure(this.kind, answer, this.clock());
    return this.accepted(answer, notification);
  }

  /** What to POST for this notification; may throw a TemplateError or a DeliveryError. */
  protected abstract request(config: TConfig, notification: Notification): HttpChannelRequest;

  /** Reads a 2xx answer; throws a DeliveryError when the receiver said no in a 2xx. */
  protected accepted(answer: HttpAnswer, _notification: Notification): DeliveryResult {
    return { ok: true, status: answer.status };
  }
}

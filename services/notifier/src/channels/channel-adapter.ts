import { describeFieldErrors, FieldError, validatePlain } from '@vigil/contracts';
import type { Notification } from './notification';
import { TemplateError } from './templates';

export const CHANNEL_KINDS = ['webhook', 'slack', 'teams', 'email', 'pagerduty'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface DeliveryResult {
  ok: true;
  /** The receiver's answer: an HTTP status, or the SMTP reply code. */
  status: number;
  /** The receiver's id for what it accepted (SMTP Message-ID, PagerDuty dedup_key), when it gives one. */
  messageId?: string;
  /** Accepted, but not entirely (an SMTP server refused some recipients). */
  warnings?: string[];
}

export interface SendOptions {
  /** Abandons the delivery (shutdown); it then fails as retryable. */
  signal?: AbortSignal;
}

export type DeliveryFailure =
  /** The receiver answered with a refusal (HTTP status or SMTP reply). */
  | 'rejected'
  /** The receiver asked us to slow down (HTTP 429, Teams' throttling answer). */
  | 'rate_limited'
  | 'timeout'
  /** No answer: refused, reset or unresolvable, TLS failure. */
  | 'connection'
  /** The template could not be rendered for this notification. */
  | 'template'
  /** The message cannot be sent as configured (too large, nothing to send). */
  | 'invalid';

/**
 * A delivery that did not succeed. `retryable` tells a delivery engine whether the same message
 * may get through later (timeouts, connection errors, 408/429/5xx, SMTP 4xx) or never will
 * (other 4xx, SMTP 5xx, a message the receiver cannot accept); `retryAfterMs` is the receiver's
 * own hint (Retry-After), which should win over the engine's back-off when longer.
 */
export class DeliveryError extends Error {
  readonly channel: ChannelKind;
  readonly reason: DeliveryFailure;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;

  constructor(
    channel: ChannelKind,
    reason: DeliveryFailure,
    message: string,
    options: { retryable: boolean; retryAfterMs?: number; status?: number; cause?: unknown },
  ) {
    super(`${channel}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryError';
    this.channel = channel;
    this.reason = reason;
    this.retryable = options.retryable;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.status !== undefined) this.status = options.status;
  }
}

/** A target's configuration was refused; `errors` names each field and why. */
export class ChannelConfigError extends Error {
  constructor(
    readonly channel: ChannelKind,
    readonly errors: FieldError[],
  ) {
    super(`invalid ${channel} channel configuration: ${describeFieldErrors(errors)}`);
    this.name = 'ChannelConfigError';
  }
}

/**
 * One way of delivering a notification. An adapter holds no per-target state: `parseConfig`
 * validates a target's configuration once (templates included) when it is set up, and `send`
 * takes that validated configuration with each notification.
 */
export interface ChannelAdapter<TConfig extends object> {
  readonly kind: ChannelKind;
  /** Validates untrusted configuration; throws ChannelConfigError naming every bad field. */
  parseConfig(input: unknown): TConfig;
  /** Resolves when the receiver accepted the notification; otherwise throws a DeliveryError. */
  send(config: TConfig, notification: Notification, options?: SendOptions): Promise<DeliveryResult>;
  /** The target for logs and the delivery log: no secrets, tokens or passwords. */
  describe(config: TConfig): string;
}

/** class-validator over a config class, strictly: an unknown (misspelt) field is an error too. */
export function parseChannelConfig<T extends object>(
  channel: ChannelKind,
  cls: new () => T,
  input: unknown,
): T {
  const result = validatePlain(cls, input);
  if (!result.ok) throw new ChannelConfigError(channel, result.errors);
  return result.value;
}

/** Builds a message from templates; a template that cannot render is a permanent delivery failure. */
export function buildMessage<T>(channel: ChannelKind, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new DeliveryError(channel, 'template', error.message, { retryable: false, cause: error });
    }
    throw error;
  }
}

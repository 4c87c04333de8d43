import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import {
  buildMessage,
  ChannelAdapter,
  DeliveryResult,
  parseChannelConfig,
  SendOptions,
} from './channel-adapter';
import { IsHeaderMap, IsHttpUrl, redactUrl } from './channel-config';
import { DEFAULT_TEMPLATES } from './default-templates';
import { ChannelHttpClient, httpFailure, isSuccess } from './http-delivery';
import type { Notification } from './notification';
import { IsTemplate, renderTemplate } from './templates';
import { signWebhook } from './webhook-signature';

export class WebhookChannelConfig {
  @IsHttpUrl()
  @IsString()
  url!: string;

  /** The HMAC key receivers verify `Vigil-Signature` with. */
  @Length(16, 512)
  @IsString()
  secret!: string;

  /** While rotating: the old secret, so receivers not yet updated still verify (a second `v1=`). */
  @IsOptional()
  @Length(16, 512)
  @IsString()
  previousSecret?: string;

  /** Extra request headers (a receiver's own auth header, for example). */
  @IsOptional()
  @IsHeaderMap()
  headers?: Record<string, string>;

  @IsTemplate('text')
  titleTemplate: string = DEFAULT_TEMPLATES.webhook.title;

  @IsTemplate('text')
  textTemplate: string = DEFAULT_TEMPLATES.webhook.text;

  @Max(60_000)
  @Min(100)
  @IsInt()
  timeoutMs: number = 5000;
}

/** The JSON a webhook receives (docs/notifications.md). */
export interface WebhookBodyV1 {
  version: 1;
  id: string;
  kind: Notification['kind'];
  createdAt: string;
  subject: Notification['subject'];
  links: Notification['links'];
  recipient: Notification['recipient'] | null;
  actor: string | null;
  escalation: Notification['escalation'] | null;
  /** The configured templates, rendered: a ready-made title and text for receivers that show one. */
  message: { title: string; text: string };
}

const TITLE_LIMIT = 250;
const TEXT_LIMIT = 4000;

export function webhookBody(config: WebhookChannelConfig, notification: Notification): WebhookBodyV1 {
  return {
    version: 1,
    id: notification.id,
    kind: notification.kind,
    createdAt: notification.createdAt,
    subject: notification.subject,
    links: notification.links,
    recipient: notification.recipient ?? null,
    actor: notification.actor ?? null,
    escalation: notification.escalation ?? null,
    message: {
      title: renderTemplate(config.titleTemplate, 'text', notification, {
        singleLine: true,
        maxLength: TITLE_LIMIT,
      }),
      text: renderTemplate(config.textTemplate, 'text', notification, { maxLength: TEXT_LIMIT }).trim(),
    },
  };
}

/** A signed JSON POST to any HTTP receiver. */
export class WebhookChannel implements ChannelAdapter<WebhookChannelConfig> {
  readonly kind = 'webhook' as const;

  constructor(
    private readonly http: ChannelHttpClient,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  parseConfig(input: unknown): WebhookChannelConfig {
    return parseChannelConfig(this.kind, WebhookChannelConfig, input);
  }

  describe(config: WebhookChannelConfig): string {
    return `webhook ${redactUrl(config.url, true)}`;
  }

  async send(
    config: WebhookChannelConfig,
    notification: Notification,
    options: SendOptions = {},
  ): Promise<DeliveryResult> {
    const body = JSON.stringify(buildMessage(this.kind, () => webhookBody(config, notification)));
    const secrets = config.previousSecret ? [config.secret, config.previousSecret] : [config.secret];
    const headers = {
      ...config.headers,
      'content-type': 'application/json',
      // Lets receivers drop the rare duplicate of an at-least-once delivery.
      'idempotency-key': notification.id,
      ...signWebhook(body, secrets, this.clock()),
    };
    const answer = await this.http.post(
      this.kind,
      config.url,
      body,
      headers,
      config.timeoutMs,
      options.signal,
    );
    if (!isSuccess(answer.status)) throw httpFailure(this.kind, answer, this.clock());
    return { ok: true, status: answer.status };
  }
}

import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsHeaderMap, IsHttpUrl, redactUrl } from './channel-config';
import { DEFAULT_TEMPLATES } from './default-templates';
import { HttpChannel, HttpChannelRequest } from './http-channel';
import type { Notification } from './notification';
import { IsTemplate, renderTemplate } from './templates';
import { transitionFeedBody } from './transition-feed';
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

/**
 * What a webhook send needs. A configured channel or contact method always has a secret (its
 * configuration is refused without one); a transition-feed URL has one only when
 * `NOTIFIER_WEBHOOK_SECRETS` is set, and is otherwise sent unsigned, as the feed always was.
 */
export type WebhookTarget = Omit<WebhookChannelConfig, 'secret'> & { secret?: string };

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

export function webhookBody(
  config: Pick<WebhookChannelConfig, 'titleTemplate' | 'textTemplate'>,
  notification: Notification,
): WebhookBodyV1 {
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

/**
 * A signed JSON POST to any HTTP receiver: the notification (`WebhookBodyV1`), or for the
 * transition feed the alert change (`TransitionFeedBodyV1`).
 */
export class WebhookChannel extends HttpChannel<WebhookTarget> {
  readonly kind = 'webhook' as const;
  protected readonly configClass = WebhookChannelConfig;

  override parseConfig(input: unknown): WebhookChannelConfig {
    return super.parseConfig(input) as WebhookChannelConfig;
  }

  describe(config: WebhookTarget): string {
    return `webhook ${redactUrl(config.url, true)}`;
  }

  protected request(config: WebhookTarget, notification: Notification): HttpChannelRequest {
    const now = this.clock();
    const body = JSON.stringify(
      notification.transition
        ? transitionFeedBody(notification.transition, notification.id, now)
        : webhookBody(config, notification),
    );
    const secrets = [config.secret, config.previousSecret].filter((secret): secret is string => !!secret);
    return {
      body,
      headers: {
        ...config.headers,
        'content-type': 'application/json',
        // Lets receivers drop the rare duplicate of an at-least-once delivery.
        'idempotency-key': notification.id,
        ...(secrets.length ? signWebhook(body, secrets, now) : {}),
      },
    };
  }
}

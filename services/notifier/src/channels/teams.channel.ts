import { IsInt, IsString, Max, Min } from 'class-validator';
import { DeliveryError, DeliveryResult } from './channel-adapter';
import { IsHttpUrl, redactUrl } from './channel-config';
import { DEFAULT_TEMPLATES } from './default-templates';
import { HttpChannel, HttpChannelRequest, jsonRequest } from './http-channel';
import { HttpAnswer, httpFailure, snippet } from './http-delivery';
import type { Notification } from './notification';
import { IsTemplate, renderTemplate, truncate } from './templates';

export class TeamsChannelConfig {
  /**
   * A Teams Workflows "When a Teams webhook request is received" URL, or a legacy Office 365
   * connector incoming webhook URL; both take the same message. The URL is the credential.
   */
  @IsHttpUrl()
  @IsString()
  url!: string;

  @IsTemplate('text')
  titleTemplate: string = DEFAULT_TEMPLATES.teams.title;

  /** Shown under the title. Adaptive Cards interpret a Markdown subset here (links, bold, lists). */
  @IsTemplate('text')
  textTemplate: string = DEFAULT_TEMPLATES.teams.text;

  @Max(60_000)
  @Min(100)
  @IsInt()
  timeoutMs: number = 5000;
}

export const TEAMS_LIMITS = {
  title: 250,
  text: 4000,
  factValue: 500,
  /** Label facts shown; the rest are left out. */
  labels: 20,
  /** Teams refuses webhook messages over about 28 KB. */
  messageBytes: 28 * 1024,
} as const;

type CardElement =
  | { type: 'TextBlock'; text: string; wrap: true; size?: 'Large'; weight?: 'Bolder'; color?: CardColor }
  | { type: 'FactSet'; facts: { title: string; value: string }[] };
type CardColor = 'Attention' | 'Warning' | 'Good' | 'Default';

export interface TeamsMessage {
  type: 'message';
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive';
      contentUrl: null;
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
        type: 'AdaptiveCard';
        version: '1.4';
        msteams: { width: 'Full' };
        body: CardElement[];
        actions: { type: 'Action.OpenUrl'; title: string; url: string }[];
      };
    },
  ];
}

function titleColor(notification: Notification): CardColor {
  if (notification.kind === 'resolved' || notification.subject.severity === 'cleared') return 'Good';
  if (notification.kind === 'acknowledged' || notification.kind === 'test') return 'Default';
  switch (notification.subject.severity) {
    case 'critical':
    case 'major':
      return 'Attention';
    case 'minor':
    case 'warning':
      return 'Warning';
    case 'indeterminate':
      return 'Default';
  }
}

export function teamsMessage(config: TeamsChannelConfig, notification: Notification): TeamsMessage {
  const { subject, links } = notification;
  const title =
    renderTemplate(config.titleTemplate, 'text', notification, {
      singleLine: true,
      maxLength: TEAMS_LIMITS.title,
    }) || 'Vigil notification';
  const text = renderTemplate(config.textTemplate, 'text', notification, {
    maxLength: TEAMS_LIMITS.text,
  }).trim();

  const fact = (label: string, value: string | number | undefined) =>
    value === undefined || value === ''
      ? []
      : [{ title: label, value: truncate(String(value), TEAMS_LIMITS.factValue) }];
  const facts = [
    ...fact('Severity', subject.severity),
    ...fact('Status', subject.status),
    ...fact('Priority', subject.priority),
    ...fact('Node', subject.node),
    ...fact('Service', subject.service),
    ...fact('Environment', subject.environment),
    ...fact('Occurrences', subject.counts.occurrences),
    ...fact('Alerts', subject.counts.alerts),
    ...Object.entries(subject.labels)
      .slice(0, TEAMS_LIMITS.labels)
      .flatMap(([name, value]) => fact(name, value)),
  ];

  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: title,
      wrap: true,
      size: 'Large',
      weight: 'Bolder',
      color: titleColor(notification),
    },
  ];
  if (text) body.push({ type: 'TextBlock', text, wrap: true });
  body.push({ type: 'FactSet', facts });

  const action = (label: string, url: string | undefined) =>
    url ? [{ type: 'Action.OpenUrl' as const, title: label, url }] : [];
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          actions: [
            ...action('Acknowledge', links.acknowledge),
            ...action('Resolve', links.resolve),
            ...action(`Open ${subject.kind}`, links.console),
          ],
        },
      },
    ],
  };
}

/**
 * Microsoft Teams: an Adaptive Card 1.4 in the message wrapper both Workflows webhooks and the old
 * connectors accept. Workflows answer 202; connectors answer 200 `1`, and report their own
 * throttling as a 200 whose body says "Microsoft Teams endpoint returned HTTP error 429", which is
 * read here as the status it names.
 */
export class TeamsChannel extends HttpChannel<TeamsChannelConfig> {
  readonly kind = 'teams' as const;
  protected readonly configClass = TeamsChannelConfig;

  describe(config: TeamsChannelConfig): string {
    return `teams ${redactUrl(config.url, false)}`;
  }

  protected request(config: TeamsChannelConfig, notification: Notification): HttpChannelRequest {
    const request = jsonRequest(teamsMessage(config, notification));
    const bytes = Buffer.byteLength(request.body);
    if (bytes > TEAMS_LIMITS.messageBytes) {
      throw new DeliveryError(this.kind, 'invalid', `message is ${bytes} bytes, over Teams' 28 KB`, {
        retryable: false,
      });
    }
    return request;
  }

  protected override accepted(answer: HttpAnswer): DeliveryResult {
    const embedded = /returned HTTP error (\d{3})/.exec(answer.body);
    if (!embedded) return { ok: true, status: answer.status };
    throw httpFailure(
      this.kind,
      { ...answer, status: Number(embedded[1]), body: snippet(answer.body) },
      this.clock(),
    );
  }
}

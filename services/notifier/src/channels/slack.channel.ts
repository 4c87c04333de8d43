import { IsInt, IsString, Max, Min } from 'class-validator';
import { IsHttpUrl, redactUrl } from './channel-config';
import { DEFAULT_TEMPLATES } from './default-templates';
import { HttpChannel, HttpChannelRequest, jsonRequest } from './http-channel';
import type { Notification } from './notification';
import { escapeSlack, IsTemplate, renderTemplate, truncate } from './templates';

export class SlackChannelConfig {
  /** The incoming webhook URL (https://hooks.slack.com/services/…); it is the credential. */
  @IsHttpUrl()
  @IsString()
  url!: string;

  /** The header block: plain text, one line. */
  @IsTemplate('text')
  headerTemplate: string = DEFAULT_TEMPLATES.slack.header;

  /** Top-level `text`: the push notification and the fallback where blocks cannot be shown (mrkdwn). */
  @IsTemplate('slack')
  textTemplate: string = DEFAULT_TEMPLATES.slack.text;

  /** The section under the header (mrkdwn). Empty output leaves the section out. */
  @IsTemplate('slack')
  bodyTemplate: string = DEFAULT_TEMPLATES.slack.body;

  /** The context line at the bottom (mrkdwn). Empty output leaves it out. */
  @IsTemplate('slack')
  contextTemplate: string = DEFAULT_TEMPLATES.slack.context;

  @Max(60_000)
  @Min(100)
  @IsInt()
  timeoutMs: number = 5000;
}

/** Block Kit's limits (docs.slack.dev/reference/block-kit): longer text makes Slack refuse the message. */
export const SLACK_LIMITS = {
  header: 150,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  contextText: 3000,
  buttonText: 75,
  buttonUrl: 3000,
  /** Slack accepts 40,000 but truncates long messages; a notification should not come close. */
  text: 3000,
} as const;

type TextObject = { type: 'plain_text'; text: string; emoji?: boolean } | { type: 'mrkdwn'; text: string };
type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'actions'; elements: Button[] };
interface Button {
  type: 'button';
  action_id: string;
  text: TextObject;
  url: string;
  style?: 'primary' | 'danger';
}
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export function slackMessage(config: SlackChannelConfig, notification: Notification): SlackMessage {
  const { subject, links } = notification;
  const header =
    renderTemplate(config.headerTemplate, 'text', notification, {
      singleLine: true,
      maxLength: SLACK_LIMITS.header,
    }) || 'Vigil notification';
  const text =
    renderTemplate(config.textTemplate, 'slack', notification, { maxLength: SLACK_LIMITS.text }).trim() ||
    header;
  const body = renderTemplate(config.bodyTemplate, 'slack', notification, {
    maxLength: SLACK_LIMITS.sectionText,
  }).trim();
  const context = renderTemplate(config.contextTemplate, 'slack', notification, {
    maxLength: SLACK_LIMITS.contextText,
  }).trim();

  const field = (label: string, value: string | number | undefined): TextObject[] =>
    value === undefined || value === ''
      ? []
      : [
          {
            type: 'mrkdwn',
            text: truncate(`*${label}*\n${escapeSlack(String(value))}`, SLACK_LIMITS.fieldText),
          },
        ];
  const fields = [
    ...field('Severity', subject.severity),
    ...field('Status', subject.status),
    ...field('Priority', subject.priority),
    ...field('Node', subject.node),
    ...field('Service', subject.service),
    ...field('Environment', subject.environment),
  ].slice(0, SLACK_LIMITS.fields);

  const button = (id: string, label: string, url: string | undefined, style?: Button['style']): Button[] =>
    url && url.length <= SLACK_LIMITS.buttonUrl
      ? [
          {
            type: 'button',
            action_id: `vigil_${id}`,
            text: { type: 'plain_text', text: truncate(label, SLACK_LIMITS.buttonText) },
            url,
            ...(style ? { style } : {}),
          },
        ]
      : [];
  const buttons = [
    ...button('acknowledge', 'Acknowledge', links.acknowledge, 'primary'),
    ...button('resolve', 'Resolve', links.resolve),
    ...button('open', `Open ${subject.kind}`, links.console),
  ];

  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: header, emoji: true } }];
  // Slack refuses an empty text object, so an empty rendering leaves its block out.
  if (body) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: body } });
  if (fields.length) blocks.push({ type: 'section', fields });
  if (context) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context }] });
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });
  return { text, blocks };
}

/**
 * Slack incoming webhooks: a Block Kit message with the `text` fallback. Slack answers 200 `ok`;
 * 429 with Retry-After when rate limited (about one message per second per webhook), 4xx with a
 * word (`invalid_blocks`, `channel_not_found`, `no_service`) for what will never work.
 */
export class SlackChannel extends HttpChannel<SlackChannelConfig> {
  readonly kind = 'slack' as const;
  protected readonly configClass = SlackChannelConfig;

  describe(config: SlackChannelConfig): string {
    return `slack ${redactUrl(config.url, false)}`;
  }

  protected request(config: SlackChannelConfig, notification: Notification): HttpChannelRequest {
    return jsonRequest(slackMessage(config, notification), 'application/json; charset=utf-8');
  }
}

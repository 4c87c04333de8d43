import type { Severity } from '@vigil/contracts';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import type { DeliveryResult } from './channel-adapter';
import { IsHttpUrl, redactUrl } from './channel-config';
import { DEFAULT_TEMPLATES } from './default-templates';
import { HttpChannel, HttpChannelRequest, jsonRequest } from './http-channel';
import type { HttpAnswer } from './http-delivery';
import type { Notification, NotificationKind } from './notification';
import { IsTemplate, renderTemplate } from './templates';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export class PagerDutyChannelConfig {
  /** The 32-character integration key of an Events API v2 integration (or a ruleset's). */
  @Matches(/^[A-Za-z0-9]{32}$/, { message: '$property must be a 32-character PagerDuty integration key' })
  @IsString()
  routingKey!: string;

  @IsHttpUrl()
  @IsString()
  url: string = PAGERDUTY_EVENTS_URL;

  @IsTemplate('text')
  summaryTemplate: string = DEFAULT_TEMPLATES.pagerduty.summary;

  @IsTemplate('text')
  sourceTemplate: string = DEFAULT_TEMPLATES.pagerduty.source;

  @Max(60_000)
  @Min(100)
  @IsInt()
  timeoutMs: number = 5000;
}

/** PagerDuty knows four severities; X.733's six map onto them, cleared and indeterminate as info. */
export const PAGERDUTY_SEVERITY: Readonly<Record<Severity, PagerDutySeverity>> = {
  critical: 'critical',
  major: 'error',
  minor: 'warning',
  warning: 'warning',
  indeterminate: 'info',
  cleared: 'info',
};
type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';
type EventAction = 'trigger' | 'acknowledge' | 'resolve';

const EVENT_ACTION: Readonly<Record<NotificationKind, EventAction>> = {
  triggered: 'trigger',
  // PagerDuty folds a repeated trigger into the open alert of the same dedup_key.
  escalated: 'trigger',
  updated: 'trigger',
  repeated: 'trigger',
  test: 'trigger',
  acknowledged: 'acknowledge',
  resolved: 'resolve',
};

export const PAGERDUTY_LIMITS = { summary: 1024, source: 255, dedupKey: 255 } as const;

export interface PagerDutyEvent {
  routing_key: string;
  event_action: EventAction;
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details: Record<string, unknown>;
  };
  links?: { href: string; text: string }[];
  client?: string;
  client_url?: string;
}

/**
 * One PagerDuty alert per Vigil alert or incident, so later acknowledge and resolve events find it.
 * A test notification gets its own key, so it never touches a real alert.
 */
export function pagerDutyDedupKey(notification: Notification): string {
  const key =
    notification.kind === 'test'
      ? `vigil:test:${notification.id}`
      : `vigil:${notification.subject.kind}:${notification.subject.id}`;
  return key.slice(0, PAGERDUTY_LIMITS.dedupKey);
}

export function pagerDutyEvent(config: PagerDutyChannelConfig, notification: Notification): PagerDutyEvent {
  const { subject, links } = notification;
  const action = EVENT_ACTION[notification.kind];
  const event: PagerDutyEvent = {
    routing_key: config.routingKey,
    event_action: action,
    dedup_key: pagerDutyDedupKey(notification),
  };
  // Acknowledge and resolve need only the key (PagerDuty ignores a payload on them).
  if (action !== 'trigger') return event;

  const summary =
    renderTemplate(config.summaryTemplate, 'text', notification, {
      singleLine: true,
      maxLength: PAGERDUTY_LIMITS.summary,
    }) || subject.title.slice(0, PAGERDUTY_LIMITS.summary);
  const source =
    renderTemplate(config.sourceTemplate, 'text', notification, {
      singleLine: true,
      maxLength: PAGERDUTY_LIMITS.source,
    }) || 'vigil';
  event.payload = {
    summary,
    source,
    severity: notification.kind === 'test' ? 'info' : PAGERDUTY_SEVERITY[subject.severity],
    timestamp: subject.lastSeenAt ?? notification.createdAt,
    component: subject.service,
    group: subject.environment,
    class: subject.eventType,
    custom_details: {
      vigil_kind: notification.kind,
      [`${subject.kind}_id`]: subject.id,
      status: subject.status,
      severity: subject.severity,
      priority: subject.priority,
      node: subject.node,
      summary: subject.summary,
      labels: subject.labels,
      counts: subject.counts,
      escalation: notification.escalation,
    },
  };
  const link = (text: string, href: string | undefined) => (href ? [{ href, text }] : []);
  event.links = [
    ...link(`Open ${subject.kind} in Vigil`, links.console),
    ...link('Acknowledge in Vigil', links.acknowledge),
    ...link('Resolve in Vigil', links.resolve),
  ];
  event.client = 'Vigil';
  if (links.console) event.client_url = links.console;
  return event;
}

/**
 * Forwards to the PagerDuty Events API v2. PagerDuty answers 202 with the dedup_key; 400 for an
 * event it will never take; 429 when the integration is over its rate (events are dropped, so
 * retry later); 5xx and network errors are worth retrying.
 */
export class PagerDutyChannel extends HttpChannel<PagerDutyChannelConfig> {
  readonly kind = 'pagerduty' as const;
  protected readonly configClass = PagerDutyChannelConfig;

  describe(config: PagerDutyChannelConfig): string {
    return `pagerduty ${redactUrl(config.url, true)} key …${config.routingKey.slice(-4)}`;
  }

  protected request(config: PagerDutyChannelConfig, notification: Notification): HttpChannelRequest {
    return jsonRequest(pagerDutyEvent(config, notification));
  }

  protected override accepted(answer: HttpAnswer, notification: Notification): DeliveryResult {
    const messageId = answeredDedupKey(answer.body) ?? pagerDutyDedupKey(notification);
    return { ok: true, status: answer.status, messageId };
  }
}

function answeredDedupKey(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const key = (parsed as { dedup_key?: unknown } | null)?.dedup_key;
    return typeof key === 'string' ? key : undefined;
  } catch {
    return undefined;
  }
}

import type { Notification, NotificationKind } from './notification';

/**
 * The variables a template sees. Every documented variable is always present (null when the
 * notification has no value for it), so a template never depends on what one notification happens
 * to carry, and the static check in templates.ts can tell a typo from an absent value.
 */
export interface TemplateContext {
  kind: NotificationKind;
  kindLabel: string;
  id: string;
  createdAt: string;
  subject: {
    kind: string;
    id: string;
    title: string;
    summary: string;
    severity: string;
    status: string;
    priority: string | null;
    node: string | null;
    service: string | null;
    environment: string | null;
    source: string | null;
    eventType: string | null;
    labels: Record<string, string>;
    counts: { occurrences: number | null; alerts: number | null; firing: number | null };
    firstSeenAt: string | null;
    lastSeenAt: string | null;
  };
  links: { console: string | null; acknowledge: string | null; resolve: string | null };
  recipient: { name: string | null; address: string | null };
  actor: string | null;
  escalation: { level: number | null; policy: string | null };
}

/** What a path in a template may name: a value, an object with known fields, or a map (labels). */
export type Shape =
  | { type: 'scalar' }
  | { type: 'object'; fields: Readonly<Record<string, Shape>> }
  | { type: 'map'; values: Shape };

const scalar: Shape = { type: 'scalar' };
const scalars = (...names: string[]): Record<string, Shape> =>
  Object.fromEntries(names.map((name) => [name, scalar]));
const object = (...names: string[]): Shape => ({ type: 'object', fields: scalars(...names) });

/** The shape of TemplateContext, for the static check. Kept beside it so the two change together. */
export const TEMPLATE_CONTEXT_SHAPE: Shape = {
  type: 'object',
  fields: {
    kind: scalar,
    kindLabel: scalar,
    id: scalar,
    createdAt: scalar,
    subject: {
      type: 'object',
      fields: {
        ...scalars(
          'kind',
          'id',
          'title',
          'summary',
          'severity',
          'status',
          'priority',
          'node',
          'service',
          'environment',
          'source',
          'eventType',
          'firstSeenAt',
          'lastSeenAt',
        ),
        labels: { type: 'map', values: scalar },
        counts: object('occurrences', 'alerts', 'firing'),
      },
    },
    links: object('console', 'acknowledge', 'resolve'),
    recipient: object('name', 'address'),
    actor: scalar,
    escalation: object('level', 'policy'),
  },
};

const KIND_LABELS: Readonly<Record<NotificationKind, string>> = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  escalated: 'Escalated',
  updated: 'Updated',
  repeated: 'Reminder',
  test: 'Test',
};

export function templateContext(notification: Notification): TemplateContext {
  const { subject, links, recipient, escalation } = notification;
  return {
    kind: notification.kind,
    kindLabel: KIND_LABELS[notification.kind],
    id: notification.id,
    createdAt: notification.createdAt,
    subject: {
      kind: subject.kind,
      id: subject.id,
      title: subject.title,
      summary: subject.summary,
      severity: subject.severity,
      status: subject.status,
      priority: subject.priority ?? null,
      node: subject.node ?? null,
      service: subject.service ?? null,
      environment: subject.environment ?? null,
      source: subject.source ?? null,
      eventType: subject.eventType ?? null,
      labels: { ...subject.labels },
      counts: {
        occurrences: subject.counts.occurrences ?? null,
        alerts: subject.counts.alerts ?? null,
        firing: subject.counts.firing ?? null,
      },
      firstSeenAt: subject.firstSeenAt ?? null,
      lastSeenAt: subject.lastSeenAt ?? null,
    },
    links: {
      console: links.console ?? null,
      acknowledge: links.acknowledge ?? null,
      resolve: links.resolve ?? null,
    },
    recipient: { name: recipient?.name ?? null, address: recipient?.address ?? null },
    actor: notification.actor ?? null,
    escalation: { level: escalation?.level ?? null, policy: escalation?.policy ?? null },
  };
}

/** A copy of a context with every string (label names too) passed through `escape`. */
export function mapContextStrings(context: TemplateContext, escape: (s: string) => string): TemplateContext {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return escape(value);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [escape(k), walk(v)]));
  };
  return walk(context) as TemplateContext;
}

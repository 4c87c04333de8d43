import type {
  AlertChangedV1,
  AlertSnapshotV1,
  AlertStatus,
  IncidentSnapshotV1,
  IncidentStatus,
  NotificationKind,
  Priority,
  Severity,
} from '@vigil/contracts';

/**
 * What a notification says, independent of where it goes. Channels only render it: routing decides
 * who gets it, escalation decides when, and the signed action links are made before it reaches an
 * adapter, so every channel shows the same links.
 */
export { NOTIFICATION_KINDS } from '@vigil/contracts';
export type { NotificationKind } from '@vigil/contracts';

export const SUBJECT_KINDS = ['alert', 'incident'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** The alert or incident a notification is about. */
export interface NotificationSubject {
  kind: SubjectKind;
  id: string;
  /** One line: an alert's summary, an incident's title. */
  title: string;
  /** Longer text; the title again when there is nothing more to say. */
  summary: string;
  severity: Severity;
  status: AlertStatus | IncidentStatus;
  priority?: Priority;
  node?: string;
  service?: string;
  environment?: string;
  /** The producer (`source`) of an alert. */
  source?: string;
  /** The event type of an alert (`DiskFull`). */
  eventType?: string;
  labels: Readonly<Record<string, string>>;
  counts: {
    /** An alert's tally. */
    occurrences?: number;
    /** An incident's member alerts, and how many of them still fire. */
    alerts?: number;
    firing?: number;
  };
  firstSeenAt?: string;
  lastSeenAt?: string;
}

export interface NotificationLinks {
  /** The alert or incident in the console. */
  console?: string;
  /** Signed, expiring links (see action-links.ts); absent when the action makes no sense now. */
  acknowledge?: string;
  resolve?: string;
}

/** Who this copy of the notification is for, when routing knows (a person, a team channel). */
export interface NotificationRecipient {
  name?: string;
  address?: string;
}

export interface Notification {
  /** Unique per (transition, recipient, channel): receivers use it to drop duplicates. */
  id: string;
  kind: NotificationKind;
  /** ISO 8601. */
  createdAt: string;
  subject: NotificationSubject;
  links: NotificationLinks;
  recipient?: NotificationRecipient;
  /** Who acknowledged or resolved, for those kinds. */
  actor?: string;
  escalation?: { level: number; policy?: string };
  /**
   * The alert change a transition-feed notification reports (`NOTIFIER_WEBHOOK_URLS`): a webhook
   * then sends the feed's body (`TransitionFeedBodyV1`) rather than its own.
   */
  transition?: AlertChangedV1;
}

/** What a notification says about an alert. */
export function alertSubject(alert: AlertSnapshotV1): NotificationSubject {
  return {
    kind: 'alert',
    id: alert.id,
    title: alert.summary,
    summary: alert.summary,
    severity: alert.severity,
    status: alert.status,
    ...(alert.priority ? { priority: alert.priority } : {}),
    node: alert.node,
    ...(alert.service ? { service: alert.service } : {}),
    ...(alert.environment ? { environment: alert.environment } : {}),
    source: alert.source,
    eventType: alert.type,
    labels: alert.labels,
    counts: { occurrences: alert.tally },
    firstSeenAt: alert.firstOccurrence,
    lastSeenAt: alert.lastOccurrence,
  };
}

/** What a notification says about an incident. */
export function incidentSubject(incident: IncidentSnapshotV1): NotificationSubject {
  return {
    kind: 'incident',
    id: incident.id,
    title: incident.title,
    summary: `${incident.title}: ${incident.firingCount} of ${incident.alertCount} alert(s) firing`,
    severity: incident.severity,
    status: incident.status,
    labels: incident.groupLabels,
    counts: { alerts: incident.alertCount, firing: incident.firingCount },
    firstSeenAt: incident.openedAt,
  };
}

/**
 * A complete notification with every optional field set: the default `test` message, and what
 * templates are rendered against when a channel is configured, so every branch has data.
 */
export function sampleNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'test-0000000000000000',
    kind: 'test',
    createdAt: '2026-01-01T12:00:00.000Z',
    subject: {
      kind: 'alert',
      id: '00000000-0000-4000-8000-000000000000',
      title: 'Test notification from Vigil',
      summary: 'This is a test notification: if you can read it, the channel works.',
      severity: 'warning',
      status: 'open',
      priority: 'P3',
      node: 'test-node',
      service: 'vigil',
      environment: 'test',
      source: 'vigil',
      eventType: 'Test',
      labels: { team: 'ops' },
      counts: { occurrences: 1, alerts: 1, firing: 1 },
      firstSeenAt: '2026-01-01T12:00:00.000Z',
      lastSeenAt: '2026-01-01T12:00:00.000Z',
    },
    links: {
      console: 'https://vigil.example.org/alerts/00000000-0000-4000-8000-000000000000',
      acknowledge: 'https://vigil.example.org/actions/sample-acknowledge',
      resolve: 'https://vigil.example.org/actions/sample-resolve',
    },
    recipient: { name: 'On-call', address: 'oncall@example.org' },
    actor: 'vigil',
    escalation: { level: 1, policy: 'default' },
    ...overrides,
  };
}

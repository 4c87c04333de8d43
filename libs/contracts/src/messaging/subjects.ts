import type { AlertChangedV1 } from '../alerts/alert-changed.v1';
import type { IncidentChangedV1 } from '../incidents/incident-changed.v1';
import type { AcceptedEventV1 } from '../events/accepted-event.v1';
import type { ClassifiedEventV1 } from '../events/classified-event.v1';
import type { DeadLetterV1 } from '../events/dead-letter.v1';
import type { NotificationFailedV1 } from '../notifier/notification-failed.v1';
import type { RejectedEventV1 } from '../events/rejected-event.v1';

/**
 * Logical subject families. On the wire each is `<prefix>.<family>.<token>`; the token is the source,
 * category, alert id or consumer named in each comment. Services never spell these strings.
 */
export const Subjects = {
  /** `events.raw.<source>`: what producers publish, captured by the EVENTS_RAW stream. */
  EventsRaw: 'events.raw',
  /** `events.accepted.<source>` */
  EventsAccepted: 'events.accepted',
  /** `events.rejected.<source>`: invalid producer messages with their reasons and original bytes. */
  EventsRejected: 'events.rejected',
  /** `events.classified.<category>` */
  EventsClassified: 'events.classified',
  /** `alerts.changed.<alertId>` */
  AlertsChanged: 'alerts.changed',
  /** `incidents.changed.<incidentId>` */
  IncidentsChanged: 'incidents.changed',
  /** `notifications.failed.<channel type>`: notifications given up after their last retry. */
  NotificationsFailed: 'notifications.failed',
  /** `deadletter.<durable>`: messages a consumer could not process. */
  DeadLetters: 'deadletter',
} as const;
export type Subject = (typeof Subjects)[keyof typeof Subjects];

/** What travels on each subject family: `publish()` takes only the matching payload. */
export interface SubjectPayloads {
  'events.raw': unknown;
  'events.accepted': AcceptedEventV1;
  'events.rejected': RejectedEventV1;
  'events.classified': ClassifiedEventV1;
  'alerts.changed': AlertChangedV1;
  'incidents.changed': IncidentChangedV1;
  'notifications.failed': NotificationFailedV1;
  deadletter: DeadLetterV1;
}
export type PayloadOf<S extends Subject> = SubjectPayloads[S];

/** NATS headers Vigil reads or writes. */
export const Headers = {
  MsgId: 'Nats-Msg-Id',
  TraceParent: 'traceparent',
  EventId: 'Vigil-Event-Id',
} as const;

const PREFIX_PATTERN = /^[A-Za-z0-9_-]*$/;
const UNSAFE_TOKEN_CHARS = /[^A-Za-z0-9_-]/g;

/** Makes any value safe as one subject token (no dots, spaces or wildcards). */
export function subjectToken(value: string): string {
  const token = value.replace(UNSAFE_TOKEN_CHARS, '_');
  return token.length ? token : '_';
}

/**
 * Subject and stream names under one prefix, so that test runs and tenants share a NATS server
 * without seeing each other's messages: prefix `t1` gives `t1.events.raw.web` and stream `T1_EVENTS_RAW`.
 */
export class SubjectSpace {
  readonly prefix: string;

  constructor(prefix = '') {
    if (!PREFIX_PATTERN.test(prefix)) {
      throw new Error(`subject prefix "${prefix}" may contain only letters, digits, "_" and "-"`);
    }
    this.prefix = prefix;
  }

  /** A concrete subject: `<prefix>.<family>.<token>`. */
  subject(family: Subject, token: string): string {
    return `${this.family(family)}.${subjectToken(token)}`;
  }

  /** Every token of a family: `<prefix>.<family>.>`. */
  wildcard(family: Subject): string {
    return `${this.family(family)}.>`;
  }

  /** A subject that is used whole (request/reply). */
  exact(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  family(family: Subject): string {
    return this.exact(family);
  }

  stream(name: string): string {
    return this.prefix ? `${this.prefix.toUpperCase().replace(/-/g, '_')}_${name}` : name;
  }

  /** The token after the family, e.g. the source of `events.raw.web-1`, or undefined if not in it. */
  tokenOf(family: Subject, subject: string): string | undefined {
    const head = `${this.family(family)}.`;
    return subject.startsWith(head) ? subject.slice(head.length) : undefined;
  }
}

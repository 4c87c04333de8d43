import { AlertChangedV1 } from '../alerts/alert-changed.v1';
import { AcceptedEventV1 } from '../events/accepted-event.v1';
import { ClassifiedEventV1 } from '../events/classified-event.v1';
import { IncidentChangedV1 } from '../incidents/incident-changed.v1';
import { Subject, Subjects } from './subjects';

export const StreamNames = {
  EventsRaw: 'EVENTS_RAW',
  EventsAccepted: 'EVENTS_ACCEPTED',
  EventsRejected: 'EVENTS_REJECTED',
  EventsClassified: 'EVENTS_CLASSIFIED',
  AlertsChanged: 'ALERTS_CHANGED',
  IncidentsChanged: 'INCIDENTS_CHANGED',
  NotificationsFailed: 'NOTIFICATIONS_FAILED',
  DeadLetters: 'DEAD_LETTERS',
} as const;
export type StreamName = (typeof StreamNames)[keyof typeof StreamNames];

/** A stream as the platform needs it; libs/messaging turns this into JetStream configuration. */
export interface StreamDefinition {
  name: StreamName;
  family: Subject;
  description: string;
  /** How long messages are kept. Pipeline streams are logs that can be replayed, not work queues. */
  maxAgeSeconds: number;
  /** `Nats-Msg-Id` de-duplication window: a re-publish within it is dropped by the server. */
  duplicateWindowSeconds: number;
  /**
   * The window holds producers' ids (directly, or as the event ids derived from them), so it is the
   * re-send window producers are promised; `NATS_DUPLICATE_WINDOW_SECONDS` overrides it.
   */
  producerIdempotency?: true;
}

/** The default re-send window for producers' ids. */
export const DEFAULT_PRODUCER_DUPLICATE_WINDOW_SECONDS = 10 * 60;

const HOUR = 3600;
const DAY = 24 * HOUR;

export const STREAMS: readonly StreamDefinition[] = [
  {
    name: StreamNames.EventsRaw,
    family: Subjects.EventsRaw,
    description: "Producers' events as published, before validation.",
    maxAgeSeconds: 7 * DAY,
    duplicateWindowSeconds: DEFAULT_PRODUCER_DUPLICATE_WINDOW_SECONDS,
    producerIdempotency: true,
  },
  {
    name: StreamNames.EventsAccepted,
    family: Subjects.EventsAccepted,
    description: 'Validated, normalised events.',
    maxAgeSeconds: 7 * DAY,
    duplicateWindowSeconds: DEFAULT_PRODUCER_DUPLICATE_WINDOW_SECONDS,
    producerIdempotency: true,
  },
  {
    name: StreamNames.EventsRejected,
    family: Subjects.EventsRejected,
    description: 'Producer messages refused by ingest, with reasons and original bytes.',
    maxAgeSeconds: 30 * DAY,
    duplicateWindowSeconds: 2 * 60,
  },
  {
    name: StreamNames.EventsClassified,
    family: Subjects.EventsClassified,
    description: 'Events with category and classification decided.',
    maxAgeSeconds: 7 * DAY,
    duplicateWindowSeconds: 10 * 60,
  },
  {
    name: StreamNames.AlertsChanged,
    family: Subjects.AlertsChanged,
    description: 'Alert transitions relayed from the correlator outbox.',
    maxAgeSeconds: 30 * DAY,
    duplicateWindowSeconds: 10 * 60,
  },
  {
    name: StreamNames.IncidentsChanged,
    family: Subjects.IncidentsChanged,
    description: 'Incident changes relayed from the correlator outbox.',
    maxAgeSeconds: 30 * DAY,
    duplicateWindowSeconds: 10 * 60,
  },
  {
    name: StreamNames.NotificationsFailed,
    family: Subjects.NotificationsFailed,
    description: 'Notifications the notifier gave up on after their last retry.',
    maxAgeSeconds: 30 * DAY,
    duplicateWindowSeconds: 10 * 60,
  },
  {
    name: StreamNames.DeadLetters,
    family: Subjects.DeadLetters,
    description: 'Messages a consumer could not process, with the error.',
    maxAgeSeconds: 30 * DAY,
    duplicateWindowSeconds: 2 * 60,
  },
];

/** What a consumer's messages are: raw bytes, or JSON that must satisfy a contract class. */
export type ConsumerPayload = 'bytes' | (new () => object);

/**
 * A durable pull consumer. Its handler is the owning service's `@EventPattern(subject)` method,
 * called with batches: arrays of up to `batchSize` payloads, each already validated.
 */
export interface ConsumerDefinition {
  /** `<service>-<purpose>`. */
  durable: string;
  stream: StreamName;
  subject: Subject;
  description: string;
  /**
   * A contract class: each message is parsed and validated against it, and one that fails is
   * dead-lettered without reaching the handler. `bytes`: the raw bytes, for untrusted producer
   * input that the handler must keep whole.
   */
  payload: ConsumerPayload;
  /** Deliveries before the message is dead-lettered. */
  maxDeliver: number;
  /** Must exceed the slowest batch; the strategy signals progress for long ones. */
  ackWaitSeconds: number;
  /** Back-pressure: the server stops delivering beyond this many unacknowledged messages. */
  maxAckPending: number;
  /** Most messages per handler call: batches amortise transactions and publishes. */
  batchSize: number;
  /** Longest a message waits for its batch to fill: the latency a quiet pipeline pays per hop. */
  batchWaitMs: number;
  /** Batches in flight at once in one process. */
  concurrency: number;
  /** Delay before redelivery after the n-th failure (the last value repeats). */
  retryDelaysMs: readonly number[];
}

export const Consumers = {
  IngestRaw: {
    durable: 'ingest-raw',
    stream: StreamNames.EventsRaw,
    subject: Subjects.EventsRaw,
    description: 'Validates and normalises producer events published to NATS.',
    payload: 'bytes',
    maxDeliver: 8,
    ackWaitSeconds: 30,
    maxAckPending: 4096,
    batchSize: 256,
    batchWaitMs: 2,
    concurrency: 2,
    retryDelaysMs: [250, 1000, 5000, 15000],
  },
  ClassifierAccepted: {
    durable: 'classifier-accepted',
    stream: StreamNames.EventsAccepted,
    subject: Subjects.EventsAccepted,
    description: 'Classifies accepted events.',
    payload: AcceptedEventV1,
    maxDeliver: 8,
    ackWaitSeconds: 30,
    maxAckPending: 4096,
    batchSize: 256,
    batchWaitMs: 2,
    concurrency: 2,
    retryDelaysMs: [250, 1000, 5000, 15000],
  },
  CorrelatorClassified: {
    durable: 'correlator-classified',
    stream: StreamNames.EventsClassified,
    subject: Subjects.EventsClassified,
    description: 'De-duplicates classified events into alerts.',
    payload: ClassifiedEventV1,
    maxDeliver: 10,
    ackWaitSeconds: 30,
    maxAckPending: 4096,
    batchSize: 1000,
    batchWaitMs: 5,
    // One transaction at a time per process: a second would mostly wait for the first's row locks
    // (a storm's batches share their hot fingerprints); instead the next batch grows while it runs.
    // Distinct new alerts too: two at once took a storm longer (5.2–6.2 s, not 4.5 s).
    concurrency: 1,
    retryDelaysMs: [100, 500, 2000, 10000],
  },
  CorrelatorIncidents: {
    durable: 'correlator-incidents',
    stream: StreamNames.AlertsChanged,
    subject: Subjects.AlertsChanged,
    description: 'Groups alerts into incidents by the correlation rules.',
    payload: AlertChangedV1,
    maxDeliver: 10,
    ackWaitSeconds: 30,
    maxAckPending: 2000,
    batchSize: 200,
    batchWaitMs: 5,
    // An alert's changes must be applied in order; one batch at a time per process keeps them so
    // within a replica, and the per-alert sequence check covers replicas.
    concurrency: 1,
    retryDelaysMs: [100, 500, 2000, 10000],
  },
  NotifierAlerts: {
    durable: 'notifier-alerts',
    stream: StreamNames.AlertsChanged,
    subject: Subjects.AlertsChanged,
    description: 'Sends alert transitions to the feed webhooks, and routes alerts into pages.',
    payload: AlertChangedV1,
    maxDeliver: 12,
    ackWaitSeconds: 60,
    maxAckPending: 2000,
    // A storm joins hundreds of alerts to a few pages: a batch per few hundred, not per hundred,
    // keeps the notifier up with the correlator (5,000 alerts on their pages 4.6–5.8 → 4.5 s).
    batchSize: 500,
    batchWaitMs: 5,
    concurrency: 2,
    retryDelaysMs: [1000, 2000, 5000, 10000, 30000, 60000],
  },
  NotifierIncidents: {
    durable: 'notifier-incidents',
    stream: StreamNames.IncidentsChanged,
    subject: Subjects.IncidentsChanged,
    description: 'Routes incidents into pages.',
    payload: IncidentChangedV1,
    maxDeliver: 12,
    ackWaitSeconds: 60,
    maxAckPending: 1000,
    batchSize: 100,
    batchWaitMs: 5,
    // A page's members must change in order; the per-member sequence check covers replicas.
    concurrency: 1,
    retryDelaysMs: [1000, 2000, 5000, 10000, 30000, 60000],
  },
} as const satisfies Record<string, ConsumerDefinition>;

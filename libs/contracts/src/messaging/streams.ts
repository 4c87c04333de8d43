import { Subject, Subjects } from './subjects';

export const StreamNames = {
  EventsRaw: 'EVENTS_RAW',
  EventsAccepted: 'EVENTS_ACCEPTED',
  EventsRejected: 'EVENTS_REJECTED',
  EventsClassified: 'EVENTS_CLASSIFIED',
  AlertsChanged: 'ALERTS_CHANGED',
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
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export const STREAMS: readonly StreamDefinition[] = [
  {
    name: StreamNames.EventsRaw,
    family: Subjects.EventsRaw,
    description: "Producers' events as published, before validation.",
    maxAgeSeconds: 7 * DAY,
    duplicateWindowSeconds: 2 * 60,
  },
  {
    name: StreamNames.EventsAccepted,
    family: Subjects.EventsAccepted,
    description: 'Validated, normalised events.',
    maxAgeSeconds: 7 * DAY,
    duplicateWindowSeconds: 10 * 60,
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
    name: StreamNames.DeadLetters,
    family: Subjects.DeadLetters,
    description: 'Messages a consumer could not process, with the error.',
    maxAgeSeconds: 30 * DAY,
    duplicateWindowSeconds: 2 * 60,
  },
];

/** A durable pull consumer. The handler is the `@EventPattern(subject)` method of the owning service. */
export interface ConsumerDefinition {
  /** `<service>-<purpose>`. */
  durable: string;
  stream: StreamName;
  subject: Subject;
  description: string;
  /**
   * `json` hands the handler the parsed payload (a parse failure is dead-lettered); `bytes` hands it
   * the raw bytes, for consumers of untrusted producer input that must keep the original.
   */
  payload: 'json' | 'bytes';
  /** Deliveries before the message is dead-lettered. */
  maxDeliver: number;
  /** Must exceed the slowest handler run; the strategy signals progress for long ones. */
  ackWaitSeconds: number;
  /** Back-pressure: the server stops delivering beyond this many unacknowledged messages. */
  maxAckPending: number;
  /** Handler runs in flight at once in one process. */
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
    maxAckPending: 2000,
    concurrency: 64,
    retryDelaysMs: [250, 1000, 5000, 15000],
  },
  ClassifierAccepted: {
    durable: 'classifier-accepted',
    stream: StreamNames.EventsAccepted,
    subject: Subjects.EventsAccepted,
    description: 'Classifies accepted events.',
    payload: 'json',
    maxDeliver: 8,
    ackWaitSeconds: 30,
    maxAckPending: 2000,
    concurrency: 64,
    retryDelaysMs: [250, 1000, 5000, 15000],
  },
  CorrelatorClassified: {
    durable: 'correlator-classified',
    stream: StreamNames.EventsClassified,
    subject: Subjects.EventsClassified,
    description: 'De-duplicates classified events into alerts.',
    payload: 'json',
    maxDeliver: 10,
    ackWaitSeconds: 30,
    maxAckPending: 2000,
    concurrency: 16,
    retryDelaysMs: [100, 500, 2000, 10000],
  },
  NotifierAlerts: {
    durable: 'notifier-alerts',
    stream: StreamNames.AlertsChanged,
    subject: Subjects.AlertsChanged,
    description: 'Notifies webhooks of alert transitions.',
    payload: 'json',
    maxDeliver: 12,
    ackWaitSeconds: 60,
    maxAckPending: 1000,
    concurrency: 16,
    retryDelaysMs: [1000, 2000, 5000, 10000, 30000, 60000],
  },
} as const satisfies Record<string, ConsumerDefinition>;

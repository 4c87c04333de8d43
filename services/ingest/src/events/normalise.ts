import {
  AcceptedEventV1,
  EventOriginV1,
  normalizeSeverity,
  parseTimestamp,
  ProducerEventV1,
  SchemaIds,
  Severity,
} from '@vigil/contracts';
import { eventId } from './event-id';
import { defaultFingerprint } from './fingerprint';

export interface AcceptContext {
  origin: EventOriginV1;
  receivedAt: Date;
  /** The producer id from outside the body (e.g. the `Nats-Msg-Id` header), used when the body has none. */
  producerIdFallback?: string;
  /** A key stable across redeliveries of the same message (raw stream and sequence). */
  deliveryKey?: string;
}

const trimmed = (value: string | undefined) => {
  const t = value?.trim();
  return t ? t : undefined;
};

/** A valid producer event, turned into the accepted event every later stage relies on. */
export function toAcceptedEvent(event: ProducerEventV1, context: AcceptContext): AcceptedEventV1 {
  const producerId = event.id ?? context.producerIdFallback;
  const labels = event.labels ?? {};
  const node = event.node.trim();
  const type = event.type.trim();
  const receivedAt = context.receivedAt.toISOString();
  const accepted: AcceptedEventV1 = {
    schema: SchemaIds.AcceptedEventV1,
    id: eventId(event.source, producerId, context.deliveryKey),
    source: event.source,
    node,
    type,
    summary: event.summary.trim(),
    // Validation guarantees the severity is normalisable.
    severity: normalizeSeverity(event.severity) as Severity,
    occurredAt: event.occurredAt ? parseTimestamp(event.occurredAt).toISOString() : receivedAt,
    receivedAt,
    labels,
    attributes: event.attributes ?? {},
    fingerprint: trimmed(event.fingerprint) ?? defaultFingerprint(event.source, node, type, labels),
    origin: context.origin,
  };
  if (producerId !== undefined) accepted.producerId = producerId;
  if (event.category) accepted.category = event.category;
  const service = trimmed(event.service);
  if (service) accepted.service = service;
  const environment = trimmed(event.environment);
  if (environment) accepted.environment = environment;
  return accepted;
}

import { FieldError } from '../validation';
import { IngestChannel, IngestProtocol } from './accepted-event.v1';

/**
 * A producer message ingest refused, kept whole so it can be inspected and replayed after a fix.
 * Published to `events.rejected.<source>` (`unknown` when no source could be read).
 */
export interface RejectedEventV1 {
  schema: 'vigil.event.rejected/v1';
  rejectedAt: string;
  via: IngestChannel;
  /** The format, when not Vigil's own producer event. */
  protocol?: IngestProtocol;
  /** The subject the producer published to, for NATS producers. */
  subject?: string;
  reasons: FieldError[];
  /** Headers that are part of the message (CloudEvents binary mode's `ce-*`), so it can be replayed whole. */
  headers?: Record<string, string>;
  /** The original bytes: as text when they are valid UTF-8, else base64. */
  original: string;
  originalEncoding: 'utf8' | 'base64';
}

/**
 * A pipeline message that a consumer could not process: either it failed validation (never retried)
 * or its handler failed `maxDeliver` times. Published to `deadletter.<durable>`.
 */
export interface DeadLetterV1 {
  schema: 'vigil.deadletter/v1';
  failedAt: string;
  consumer: string;
  stream: string;
  streamSequence: number;
  subject: string;
  deliveryCount: number;
  /** `invalid` when the message broke its contract, `exhausted` when retries ran out. */
  cause: 'invalid' | 'exhausted';
  error: string;
  headers: Record<string, string>;
  original: string;
  originalEncoding: 'utf8' | 'base64';
}

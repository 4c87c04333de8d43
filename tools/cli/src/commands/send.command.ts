import { ConnectionEnv, loadEnv, SERVICE_PORTS } from '@vigil/config';
import { describeFieldErrors, Subjects, validateProducerEvent } from '@vigil/contracts';
import { createNatsClient, messagingOptionsFromEnv } from '@vigil/messaging';
import { fail, say } from '../output';

export interface SendOptions {
  source: string;
  node: string;
  type: string;
  severity: string;
  summary?: string;
  id?: string;
  fingerprint?: string;
  category?: string;
  service?: string;
  environment?: string;
  occurredAt?: string;
  label: string[];
  http?: string | boolean;
  /** The API key for `--http` (default: `VIGIL_API_KEY`). */
  apiKey?: string;
  validate: boolean;
}

export function parseLabels(pairs: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`label "${pair}" must be key=value`);
    labels[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return labels;
}

export function buildEvent(options: SendOptions): Record<string, unknown> {
  const event: Record<string, unknown> = {
    source: options.source,
    node: options.node,
    type: options.type,
    severity: /^\d+$/.test(options.severity) ? Number(options.severity) : options.severity,
    summary: options.summary ?? `${options.type} on ${options.node}`,
  };
  const optional = {
    id: options.id,
    fingerprint: options.fingerprint,
    category: options.category,
    service: options.service,
    environment: options.environment,
    occurredAt: options.occurredAt,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) event[key] = value;
  if (options.label.length) event.labels = parseLabels(options.label);
  return event;
}

/** `vigil send`: one producer event, to NATS (JetStream, waits for the PubAck) or over HTTP. */
export async function send(options: SendOptions): Promise<void> {
  const env = loadEnv(ConnectionEnv);
  const event = buildEvent(options);
  if (options.validate) {
    const result = validateProducerEvent(event);
    if (!result.ok) fail(`invalid event: ${describeFieldErrors(result.errors)}`, 2);
  }
  if (options.http) {
    const base = typeof options.http === 'string' ? options.http : `http://127.0.0.1:${SERVICE_PORTS.ingest}`;
    const response = await fetch(`${base.replace(/\/$/, '')}/api/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify(event),
    });
    const body = await response.text();
    if (!response.ok) fail(`ingest answered ${response.status}: ${body}`);
    say(`accepted over HTTP (${response.status}): ${body}`);
    return;
  }
  const client = await createNatsClient({ ...messagingOptionsFromEnv(env), service: 'cli' });
  const subject = client.space.subject(Subjects.EventsRaw, options.source);
  try {
    const ack = await client.js.publish(
      subject,
      JSON.stringify(event),
      options.id ? { msgID: options.id } : {},
    );
    say(
      `published to ${subject} (stream ${ack.stream}, seq ${ack.seq}${ack.duplicate ? ', duplicate' : ''})`,
    );
  } finally {
    await client.connection.drain();
  }
}

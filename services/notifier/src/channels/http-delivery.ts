import { Agent, request } from 'undici';
import { ChannelKind, DeliveryError } from './channel-adapter';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The response body as text, cut at RESPONSE_BODY_LIMIT. */
  body: string;
}

/** Receivers answer with a word or a small JSON object; more than this is not worth reading. */
const RESPONSE_BODY_LIMIT = 64 * 1024;
/** A Retry-After longer than a day is not a hint we follow. */
const RETRY_AFTER_LIMIT_MS = 24 * 3600 * 1000;

export const USER_AGENT = 'vigil-notifier/1';

/**
 * POSTs for the HTTP channels over one keep-alive pool (undici's request API: `fetch` costs several
 * times the CPU per call). Redirects are not followed: a webhook URL that redirects is misconfigured,
 * and following it would send a signed body or a token somewhere else.
 */
export class ChannelHttpClient {
  private readonly agent = new Agent({ keepAliveTimeout: 30_000, connections: 32 });

  /**
   * Resolves with the receiver's answer, whatever its status; throws a retryable DeliveryError when
   * there is no answer (timeout, connection refused or reset, DNS) within `timeoutMs`.
   */
  async post(
    channel: ChannelKind,
    url: string,
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<HttpAnswer> {
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      const response = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'user-agent': USER_AGENT, ...headers },
        body,
        signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      return {
        status: response.statusCode,
        headers: response.headers,
        body: await readLimited(response.body),
      };
    } catch (error) {
      throw networkFailure(channel, error, deadline.aborted, signal?.aborted ?? false);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

async function readLimited(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    // Leaving the loop destroys the stream, so a huge answer costs no more than this.
    if (size >= RESPONSE_BODY_LIMIT) break;
  }
  return Buffer.concat(chunks).subarray(0, RESPONSE_BODY_LIMIT).toString('utf8');
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function networkFailure(
  channel: ChannelKind,
  error: unknown,
  timedOut: boolean,
  aborted: boolean,
): DeliveryError {
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  if (code === 'UND_ERR_INVALID_ARG') {
    return new DeliveryError(channel, 'invalid', `request refused by the client: ${text}`, {
      retryable: false,
      cause: error,
    });
  }
  if (timedOut || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
    return new DeliveryError(channel, 'timeout', 'no answer in time', { retryable: true, cause: error });
  }
  if (aborted) {
    return new DeliveryError(channel, 'connection', 'delivery abandoned (aborted)', {
      retryable: true,
      cause: error,
    });
  }
  const detail = typeof code === 'string' ? `${code}: ${text}` : text;
  return new DeliveryError(channel, 'connection', `request failed: ${detail}`, {
    retryable: true,
    cause: error,
  });
}

/**
 * The usual reading of an HTTP refusal: 429 (rate limited), 408 and 5xx may succeed later; any
 * other status never will, so retrying only adds load.
 */
export function httpFailure(channel: ChannelKind, answer: HttpAnswer, now: Date = new Date()): DeliveryError {
  const { status } = answer;
  const retryAfterMs = parseRetryAfter(answerHeader(answer, 'retry-after'), now);
  const said = snippet(answer.body);
  const message = `receiver answered ${status}${said ? `: ${said}` : ''}`;
  if (status === 429) {
    return new DeliveryError(channel, 'rate_limited', message, { retryable: true, retryAfterMs, status });
  }
  if (status === 408 || status >= 500) {
    return new DeliveryError(channel, 'rejected', message, { retryable: true, retryAfterMs, status });
  }
  const why = status >= 300 && status < 400 ? ' (redirects are not followed: configure the final URL)' : '';
  return new DeliveryError(channel, 'rejected', `${message}${why}`, { retryable: false, status });
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export function answerHeader(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) {
    ms = Number(trimmed) * 1000;
  } else {
    // HTTP dates start with a day name; Date.parse alone would take "-5" as a year.
    if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = Math.max(0, at - now.getTime());
  }
  return Math.min(ms, RETRY_AFTER_LIMIT_MS);
}

/** The start of a receiver's answer, on one line, for error messages. */
export function snippet(body: string, max = 200): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

import { IsUrl, ValidateBy, ValidationOptions } from 'class-validator';

/** An absolute http(s) URL; hosts without a dot (localhost, internal names) and IPs are allowed. */
export function IsHttpUrl(options?: ValidationOptions): PropertyDecorator {
  return IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false, require_host: true },
    { message: '$property must be an http:// or https:// URL', ...options },
  );
}

/** Headers our own adapters set: a configured header may not replace them. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'transfer-encoding',
  'connection',
  'host',
  'user-agent',
  'idempotency-key',
  'vigil-timestamp',
  'vigil-signature',
]);
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
const MAX_EXTRA_HEADERS = 20;

/** Why a set of extra HTTP headers is unusable, or undefined when it is fine. */
export function headerMapProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'must be an object of header names to values';
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_EXTRA_HEADERS) return `must have at most ${MAX_EXTRA_HEADERS} headers`;
  for (const [name, text] of entries) {
    if (!HEADER_NAME.test(name)) return `"${name}" is not a valid header name`;
    if (RESERVED_HEADERS.has(name.toLowerCase())) return `"${name}" is set by Vigil and cannot be configured`;
    // CR/LF would let a value start a new header; NUL is refused by HTTP clients anyway.
    if (typeof text !== 'string' || text.length > 4096 || /[\r\n\0]/.test(text)) {
      return `"${name}" must be a single-line string of at most 4096 characters`;
    }
  }
  return undefined;
}

export function IsHeaderMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHeaderMap',
      validator: {
        validate: (value: unknown) => headerMapProblem(value) === undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'headers'} ${headerMapProblem(args?.value) ?? 'is invalid'}`,
      },
    },
    options,
  );
}

/** The origin of a URL whose path or query carries a credential (Slack, Teams): never logged. */
export function redactUrl(url: string, keepPath: boolean): string {
  try {
    const parsed = new URL(url);
    if (!keepPath) return `${parsed.origin}/…`;
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '<invalid url>';
  }
}

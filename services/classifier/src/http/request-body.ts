import { BadRequestException } from '@nestjs/common';
import { validatePlain } from '@vigil/contracts';
import { fieldErrorsException } from './errors';

/**
 * Content types whose bodies reach controllers as plain strings (see service.ts): hand-written rule
 * sets in YAML, lookup tables in CSV, and anything sent as text.
 */
export const TEXT_CONTENT_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/csv',
  'text/plain',
];

/** Who saved a version when neither the body nor `X-Vigil-Author` says. */
export const ANONYMOUS_AUTHOR = 'anonymous';
export const AUTHOR_HEADER = 'x-vigil-author';
export const COMMENT_HEADER = 'x-vigil-comment';

/**
 * A body that is either the document itself as text, or JSON describing it. Returns the text, or
 * the JSON body validated against `dto` (400 naming each bad field otherwise).
 */
export function textOrJsonBody<T extends object>(
  body: unknown,
  dto: new () => T,
  what: string,
): { text: string } | { json: T } {
  if (typeof body === 'string') {
    if (body.trim() === '') throw emptyBody(what);
    return { text: body };
  }
  if (body === undefined || body === null) throw emptyBody(what);
  const result = validatePlain(dto, body);
  if (!result.ok) throw fieldErrorsException(`invalid ${what} request`, result.errors);
  return { json: result.value };
}

function emptyBody(what: string): BadRequestException {
  return fieldErrorsException(`no ${what} in the request`, [
    {
      field: '$',
      reason: `send the ${what} as text (content-type application/yaml, text/csv…) or as JSON with "content"`,
    },
  ]);
}

/** The first value of a header that may have been sent several times. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

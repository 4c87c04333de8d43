import { fieldErrorsException } from './errors';
import { ANONYMOUS_AUTHOR, headerValue } from './request-body';

export const AUTHOR_MAX_LENGTH = 128;

/** Who made a change: the body's `author`, else the `X-Vigil-Author` header, else `anonymous`. */
export function resolveAuthor(
  fromBody: string | undefined,
  fromHeader: string | string[] | undefined,
): string {
  const author = fromBody ?? headerValue(fromHeader) ?? ANONYMOUS_AUTHOR;
  if (author.length > AUTHOR_MAX_LENGTH) {
    throw fieldErrorsException('invalid author', [
      { field: 'author', reason: `must be at most ${AUTHOR_MAX_LENGTH} characters` },
    ]);
  }
  return author;
}

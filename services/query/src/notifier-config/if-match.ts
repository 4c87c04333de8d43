import { BadRequestException } from '@nestjs/common';

/**
 * `If-Match: <revision>` → the revision a write is based on. The ETag form (`"3"`, `W/"3"`) is
 * taken too, since GET answers with `ETag: "<revision>"`; `0` means "must not exist yet".
 */
export function basedOnRevision(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match) {
    const reason =
      'must be the revision the change is based on, e.g. 3 or "3" (0: the object must not exist yet)';
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `invalid request: If-Match: ${reason}`,
      errors: [{ field: 'If-Match', reason }],
    });
  }
  return Number(match[1]);
}

import { BadRequestException } from '@nestjs/common';
import { basedOnRevision } from './if-match';

describe('If-Match', () => {
  it.each([
    ['3', 3],
    ['"3"', 3],
    ['W/"12"', 12],
    [' 0 ', 0],
  ])('reads %j as revision %d', (header, revision) => {
    expect(basedOnRevision(header)).toBe(revision);
  });

  it('is optional', () => {
    expect(basedOnRevision(undefined)).toBeUndefined();
  });

  it.each(['*', '"3", "4"', '-1', 'three', ''])('refuses %j naming the header', (header) => {
    expect(() => basedOnRevision(header)).toThrow(BadRequestException);
    try {
      basedOnRevision(header);
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toMatchObject({ errors: [{ field: 'If-Match' }] });
    }
  });
});

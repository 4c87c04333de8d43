import { BadRequestException } from '@nestjs/common';
import { resolveCommandId } from './command-id';

describe('resolveCommandId', () => {
  const generate = () => 'generated';

  it("takes the body's commandId first, then the Idempotency-Key header, then a new one", () => {
    expect(resolveCommandId('from-body', 'from-header', generate)).toBe('from-body');
    expect(resolveCommandId(undefined, 'from-header', generate)).toBe('from-header');
    expect(resolveCommandId(undefined, ['first', 'second'], generate)).toBe('first');
    expect(resolveCommandId(undefined, undefined, generate)).toBe('generated');
    expect(resolveCommandId(undefined, '  ', generate)).toBe('generated');
  });

  it('generates UUIDs by default', () => {
    expect(resolveCommandId(undefined, undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['with spaces', 'must be printable ASCII without spaces'],
    ['x'.repeat(129), 'must be at most 128 characters'],
  ])('refuses a header that could not be a commandId (%p)', (header, reason) => {
    let caught: unknown;
    try {
      resolveCommandId(undefined, header, generate);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BadRequestException);
    expect((caught as BadRequestException).getResponse()).toMatchObject({
      errors: [{ field: 'Idempotency-Key', reason }],
    });
  });
});

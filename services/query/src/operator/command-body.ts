import { Type } from '@nestjs/common';
import { IntersectionType, OmitType, PartialType, PickType } from '@nestjs/swagger';
import type { OperatorCommandV1 } from '@vigil/contracts';

/**
 * The HTTP body of an operator command: its contract without the target's id, which comes from the
 * path, and with `commandId` optional (see `resolveCommandId`). The contract's validation rules
 * come along, so a bad body is a 400 naming the field before anything reaches the correlator.
 */
export function commandBody<T extends OperatorCommandV1, K extends keyof T & string>(
  contract: Type<T>,
  target: K,
): Type<Omit<T, K | 'commandId'> & Partial<Pick<T, 'commandId'>>> {
  const body = IntersectionType(
    OmitType(contract, [target, 'commandId'] as const),
    PartialType(PickType(contract, ['commandId'] as const)),
  );
  // IntersectionType's result type cannot be simplified for a generic T; it is exactly this.
  return body as Type<Omit<T, K | 'commandId'> & Partial<Pick<T, 'commandId'>>>;
}

import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { AdminTokenGuard } from '@vigil/runtime';

export const OPERATOR_AUTH = 'operator';

/** A write: it needs `Authorization: Bearer <QUERY_OPERATOR_TOKEN>` when that token is set. */
export function OperatorWrite(): MethodDecorator {
  return applyDecorators(
    UseGuards(AdminTokenGuard),
    ApiBearerAuth(OPERATOR_AUTH),
    ApiResponse({ status: 401, description: 'QUERY_OPERATOR_TOKEN is set and the bearer token is not it' }),
  );
}

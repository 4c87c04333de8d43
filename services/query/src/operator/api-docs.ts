import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';

export const COMMAND_ID_DESCRIPTION =
  'The idempotency key: the same commandId again for the same target returns the first result (`replayed: true`) and changes nothing. Optional over HTTP: when absent the `Idempotency-Key` header is used, else the API generates one (send one of them if you may retry).';

/** The answers every call forwarded to the correlator may give besides its success. */
export function CorrelatorResponses(): MethodDecorator {
  return applyDecorators(
    ApiResponse({
      status: 400,
      description:
        '`{message, errors: [{field, reason}]}`, the fields named as the contract or the correlator names them (`window.rrule`, `rule.matchers[1]`)',
    }),
    ApiResponse({ status: 404, description: 'no such item' }),
    ApiResponse({ status: 409, description: 'refused in the current state; `message` says why' }),
    ApiResponse({ status: 502, description: 'the correlator failed' }),
    ApiResponse({ status: 503, description: 'the correlator did not answer (see Retry-After)' }),
  );
}

/** An operator command on one alert or incident: `POST /…/:id/<command>`. */
export function CommandDocs(summary: string, example: Record<string, unknown>): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary, description: COMMAND_ID_DESCRIPTION }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'used as commandId when the body has none',
    }),
    ApiBody({ schema: { type: 'object', example: { actor: 'alice', ...example } } }),
    ApiResponse({
      status: 200,
      description:
        '`{commandId, changed, replayed, change, sequence, status}`; `changed: false` when it already was as asked',
    }),
    CorrelatorResponses(),
  );
}

/** A body documented by example (the contract classes carry validation rules, not OpenAPI schemas). */
export function BodyExample(example: Record<string, unknown>, description?: string): MethodDecorator {
  return ApiBody({ schema: { type: 'object', example }, ...(description && { description }) });
}

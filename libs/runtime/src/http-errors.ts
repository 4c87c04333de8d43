import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';

type RetryStatus = HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE;

/**
 * 429 or 503 that tells the caller when to come back: `retryAfterSeconds` in the body and the
 * `Retry-After` header (which Nest's own filter does not know about). `extra` adds fields to the
 * body, e.g. the command id a caller should retry with.
 */
export class RetryLaterException extends HttpException {
  constructor(
    status: RetryStatus,
    message: string,
    readonly retryAfterSeconds: number,
    extra: Record<string, unknown> = {},
  ) {
    super({ statusCode: status, error: STATUS_CODES[status], message, retryAfterSeconds, ...extra }, status);
  }
}

export interface HttpErrorOptions {
  /**
   * Every refusal carries `error` (the status's name) and `errors` (field errors, `[]` when none),
   * so a client reads one structure whether Nest, a pipe, a controller or body parsing refused.
   */
  uniformBodies?: boolean;
}

/**
 * The one mapping from exceptions to HTTP answers, installed by `createServiceApp` in every
 * service: the body Nest would send (or the uniform one), plus `Retry-After` for a
 * `RetryLaterException`. Anything that is not an `HttpException` stays Nest's (a 500).
 */
@Catch(HttpException)
export class HttpErrorFilter implements ExceptionFilter<HttpException> {
  constructor(private readonly options: HttpErrorOptions = {}) {}

  catch(exception: HttpException, host: ArgumentsHost): void {
    const status = exception.getStatus();
    const response = exception.getResponse();
    let body: Record<string, unknown> =
      typeof response === 'object'
        ? { ...(response as Record<string, unknown>) }
        : { statusCode: status, message: response };
    if (this.options.uniformBodies) {
      body = {
        ...body,
        statusCode: status,
        error: body.error ?? STATUS_CODES[status] ?? 'Error',
        message: body.message ?? exception.message,
        errors: body.errors ?? [],
      };
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof RetryLaterException)
      reply.header('retry-after', String(exception.retryAfterSeconds));
    void reply.status(status).send(body);
  }
}

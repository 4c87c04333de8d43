import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/** 429 or 503 that tells the producer when to come back (`Retry-After`, in seconds). */
export class RetryLaterException extends HttpException {
  constructor(
    status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(
      {
        statusCode: status,
        error: status === HttpStatus.TOO_MANY_REQUESTS ? 'Too Many Requests' : 'Service Unavailable',
        message,
        retryAfterSeconds,
      },
      status,
    );
  }
}

/** Adds the `Retry-After` header Nest's default filter does not know about. */
@Catch(RetryLaterException)
export class RetryAfterFilter implements ExceptionFilter<RetryLaterException> {
  catch(exception: RetryLaterException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(exception.getStatus())
      .header('retry-after', String(exception.retryAfterSeconds))
      .send(exception.getResponse());
  }
}

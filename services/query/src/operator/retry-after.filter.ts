import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RetryLaterException } from './rpc-http-error';

/** Adds `Retry-After` (seconds) to a 503 for a correlator that could not be reached. */
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

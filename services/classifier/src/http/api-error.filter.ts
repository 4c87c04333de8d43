import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { STATUS_CODES } from 'node:http';

/**
 * Every refusal of the classifier's API has one shape, `{statusCode, error, message, errors}`, so a
 * client reads one structure whether Nest, a pipe, a controller or Fastify's body parsing refused
 * the request. Fields an exception already carries are kept (readiness details, for one).
 */
@Catch(HttpException)
export class ApiErrorFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const body: Record<string, unknown> =
      typeof response === 'object' ? { ...response } : { message: response };
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(status)
      .send({
        ...body,
        statusCode: status,
        error: body.error ?? STATUS_CODES[status] ?? 'Error',
        message: body.message ?? exception.message,
        errors: body.errors ?? [],
      });
  }
}

import { HttpException } from '@nestjs/common';
import { errors } from '@nats-io/transport-node';
import { RpcError } from '@vigil/messaging';
import { RetryLaterException } from '@vigil/runtime';
import { httpErrorOf, RETRY_AFTER_SECONDS } from './rpc-http-error';

function answer(error: unknown, context = {}) {
  const mapped = httpErrorOf(error, context);
  if (!mapped) throw new Error('not mapped');
  return { status: mapped.getStatus(), body: mapped.getResponse() as Record<string, unknown>, mapped };
}

describe('httpErrorOf', () => {
  it('answers invalid_request with 400 and the correlator field names', () => {
    const details = [
      { field: 'window.rrule', reason: 'is not an RRULE: FREQ=SOMETIMES' },
      { field: 'matchers[1]', reason: 'is not a matcher' },
    ];
    const { status, body } = answer(new RpcError('invalid_request', 'invalid message: …', details));
    expect(status).toBe(400);
    expect(body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'invalid request: window.rrule: is not an RRULE: FREQ=SOMETIMES; matchers[1]: is not a matcher',
      errors: details,
    });
  });

  it('keeps the message of an invalid_request without field errors', () => {
    const { status, body } = answer(new RpcError('invalid_request', 'nothing to roll back to'));
    expect(status).toBe(400);
    expect(body).toMatchObject({ message: 'nothing to roll back to', errors: [] });
  });

  it.each([
    ['not_found', 404, 'alert 1 not found'],
    ['conflict', 409, 'alert 1 is resolved: a resolved alert cannot be acknowledged'],
  ] as const)('answers %s with %d and the reason', (code, status, message) => {
    expect(answer(new RpcError(code, message))).toMatchObject({
      status,
      body: { statusCode: status, message },
    });
  });

  it('answers internal with 502: the correlator failed, not this service', () => {
    const { status, body } = answer(new RpcError('internal', 'database is down'));
    expect(status).toBe(502);
    expect(body.message).toBe('the correlator failed: database is down');
  });

  it('answers a timeout with 503, Retry-After and the command id to retry with', () => {
    const { status, body, mapped } = answer(new errors.TimeoutError(), { commandId: 'c-1', timeoutMs: 5000 });
    expect(status).toBe(503);
    expect(mapped).toBeInstanceOf(RetryLaterException);
    expect((mapped as RetryLaterException).retryAfterSeconds).toBe(RETRY_AFTER_SECONDS);
    expect(body).toMatchObject({ retryAfterSeconds: RETRY_AFTER_SECONDS, commandId: 'c-1' });
    expect(body.message).toMatch(
      /did not answer within 5000 ms; the change may still be applied; retry with commandId "c-1"/,
    );
  });

  it('answers no responders and a lost connection with 503', () => {
    const noResponders = new errors.RequestError('no responders', {
      cause: new errors.NoRespondersError('rpc.x'),
    });
    expect(answer(noResponders)).toMatchObject({
      status: 503,
      body: { message: 'no correlator is answering; retry later' },
    });
    expect(answer(new errors.RequestError('connection disconnected')).status).toBe(503);
    expect(answer(new errors.ClosedConnectionError()).status).toBe(503);
  });

  it('names the service asked when it is not the correlator', () => {
    const noResponders = new errors.RequestError('no responders', {
      cause: new errors.NoRespondersError('rpc.x'),
    });
    expect(answer(noResponders, { service: 'notifier' }).body.message).toBe(
      'no notifier is answering; retry later',
    );
    expect(answer(new RpcError('internal', 'boom'), { service: 'notifier' }).body.message).toBe(
      'the notifier failed: boom',
    );
  });

  it('leaves other errors alone (a bug is a 500, not a gateway error)', () => {
    expect(httpErrorOf(new TypeError('x is undefined'))).toBeUndefined();
    expect(httpErrorOf(new HttpException('teapot', 418))).toBeUndefined();
  });
});

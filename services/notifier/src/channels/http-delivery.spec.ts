import { httpFailure, HttpAnswer, parseRetryAfter, snippet } from './http-delivery';

const answer = (status: number, headers: HttpAnswer['headers'] = {}, body = ''): HttpAnswer => ({
  status,
  headers,
  body,
});
const now = new Date('2026-05-01T12:00:00.000Z');

describe('reading HTTP refusals', () => {
  it.each([
    [400, false, 'rejected'],
    [401, false, 'rejected'],
    [403, false, 'rejected'],
    [404, false, 'rejected'],
    [408, true, 'rejected'],
    [409, false, 'rejected'],
    [410, false, 'rejected'],
    [413, false, 'rejected'],
    [422, false, 'rejected'],
    [429, true, 'rate_limited'],
    [500, true, 'rejected'],
    [502, true, 'rejected'],
    [503, true, 'rejected'],
    [504, true, 'rejected'],
    [302, false, 'rejected'],
  ])('%i → retryable %s (%s)', (status, retryable, reason) => {
    expect(httpFailure('webhook', answer(status), now)).toMatchObject({ status, retryable, reason });
  });

  it('passes on the Retry-After of a retryable answer, never of a permanent one', () => {
    expect(httpFailure('slack', answer(429, { 'retry-after': '30' }), now).retryAfterMs).toBe(30_000);
    expect(httpFailure('slack', answer(503, { 'retry-after': '5' }), now).retryAfterMs).toBe(5000);
    expect(httpFailure('slack', answer(400, { 'retry-after': '5' }), now).retryAfterMs).toBeUndefined();
  });

  it('parses Retry-After as seconds or an HTTP date, bounded to a day', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Fri, 01 May 2026 12:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfter('Fri, 01 May 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('999999999', now)).toBe(24 * 3600 * 1000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("quotes the start of the receiver's answer on one line", () => {
    expect(httpFailure('teams', answer(400, {}, 'bad\n  card'), now).message).toBe(
      'teams: receiver answered 400: bad card',
    );
    expect(snippet('x'.repeat(300))).toHaveLength(201);
  });
});

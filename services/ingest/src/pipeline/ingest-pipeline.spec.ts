import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldError } from '@vigil/contracts';
import type { IngestOutcome, IngestRequest, IngestService, Refusal } from '../events/ingest.service';
import type { Admitted, IngestGate } from '../gate/ingest-gate';
import { RetryLaterException } from '@vigil/runtime';
import { IngestPipeline } from './ingest-pipeline';

const stored: IngestOutcome = { accepted: true, id: 'e1', fingerprint: 'f1', duplicate: false };
const http = {
  headers: { traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01' },
  ip: '10.0.0.1',
};
const bytes = new TextEncoder().encode('{}');

/** The pipeline between a fake gate and a fake ingest service that record what they were asked. */
function pipelineWith(
  options: {
    admitted?: Admitted;
    admitError?: Error;
    ingest?: (request: IngestRequest) => IngestOutcome;
  } = {},
) {
  const ingested: IngestRequest[] = [];
  const archived: { request: IngestRequest; errors: FieldError[]; body: unknown; refusal?: Refusal }[] = [];
  const gate = {
    admitRequest: () =>
      options.admitError
        ? Promise.reject(options.admitError)
        : Promise.resolve(options.admitted ?? { source: 'billing', allowedSources: ['billing'] }),
  };
  const ingest = {
    ingest: (request: IngestRequest) => {
      ingested.push(request);
      return Promise.resolve(options.ingest ? options.ingest(request) : stored);
    },
    reject: (request: IngestRequest, errors: FieldError[], body?: unknown, refusal: Refusal = 'invalid') => {
      archived.push({ request, errors, body, refusal });
      return Promise.resolve({ accepted: false, errors, refusal });
    },
    refuseIfTooLarge: (request: IngestRequest) =>
      request.bytes.byteLength > 4
        ? Promise.resolve<IngestOutcome>({
            accepted: false,
            refusal: 'too_large',
            errors: [{ field: '$', reason: 'too large' }],
          })
        : undefined,
  };
  const pipeline = new IngestPipeline(gate as unknown as IngestGate, ingest as unknown as IngestService);
  return { pipeline, ingested, archived };
}

const refused = (refusal: Refusal, errors: FieldError[]) =>
  new HttpException({ refusal, errors }, refusal === 'invalid' ? 400 : 413);

async function thrown(work: Promise<unknown>): Promise<HttpException> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof HttpException)) throw new Error(`expected an HttpException, got ${String(error)}`);
  return error;
}

describe('IngestPipeline', () => {
  it('stores one event with what the request says and answers in the protocol’s shape', async () => {
    const { pipeline, ingested } = pipelineWith();
    const answer = await pipeline.one(http, {
      protocol: 'panther',
      bytes,
      extras: { producerIdFallback: 'k1' },
      read: () => ({ ok: true, candidate: { node: 'n' }, answer: (event) => ({ saved: event.id }) }),
      refused,
    });
    expect(answer).toEqual({ saved: 'e1' });
    expect(ingested).toEqual([
      expect.objectContaining({
        via: 'http',
        protocol: 'panther',
        from: '10.0.0.1',
        traceparent: http.headers.traceparent,
        allowedSources: ['billing'],
        producerIdFallback: 'k1',
        candidate: { node: 'n' },
      }),
    ]);
  });

  it('archives a body its reader refuses under the admitted source, naming the fields as read', async () => {
    const { pipeline, archived, ingested } = pipelineWith();
    const errors = [{ field: 'payload.summary', reason: 'is required' }];
    const error = await thrown(
      pipeline.one(http, {
        protocol: 'pagerduty',
        bytes,
        read: () => ({ ok: false, errors }),
        fieldName: (f) => `x.${f}`,
        refused,
      }),
    );
    expect(error.getResponse()).toEqual({ refusal: 'invalid', errors });
    expect(archived).toEqual([expect.objectContaining({ errors, body: { source: 'billing' } })]);
    expect(ingested).toEqual([]);
  });

  it('names ingest’s refusals in the protocol’s terms', async () => {
    const { pipeline } = pipelineWith({
      ingest: () => ({
        accepted: false,
        refusal: 'invalid',
        errors: [{ field: 'summary', reason: 'is required' }],
      }),
    });
    const error = await thrown(
      pipeline.one(http, {
        protocol: 'pagerduty',
        bytes,
        read: () => ({ ok: true, candidate: {}, answer: () => 'stored' }),
        fieldName: (field) => `payload.${field}`,
        refused,
      }),
    );
    expect(error.getResponse()).toEqual({
      refusal: 'invalid',
      errors: [{ field: 'payload.summary', reason: 'is required' }],
    });
  });

  it('refuses an oversize body before its reader sees it when the protocol asks', async () => {
    const { pipeline } = pipelineWith();
    const read = jest.fn();
    const error = await thrown(
      pipeline.one(http, {
        protocol: 'cloudevents',
        bytes: new Uint8Array(10),
        sizeFirst: true,
        read,
        refused,
      }),
    );
    expect(error.getStatus()).toBe(413);
    expect(read).not.toHaveBeenCalled();
  });

  it('answers what is not an event without storing anything', async () => {
    const { pipeline, ingested } = pipelineWith();
    const answer = await pipeline.one(http, {
      protocol: 'pagerduty',
      bytes,
      read: () => ({ ok: true, notAnEvent: () => Promise.resolve('acknowledged') }),
      refused,
    });
    expect(answer).toBe('acknowledged');
    expect(ingested).toEqual([]);
  });

  it('turns a failure to store into 503 with Retry-After', async () => {
    const { pipeline } = pipelineWith({
      ingest: () => {
        throw new Error('no PubAck');
      },
    });
    const error = await thrown(
      pipeline.one(http, {
        protocol: 'vigil',
        bytes,
        read: () => ({ ok: true, answer: () => 'stored' }),
        refused,
      }),
    );
    expect(error).toBeInstanceOf(RetryLaterException);
    expect(error.getStatus()).toBe(HttpStatus.SERVICE_UNAVAILABLE);
  });

  it('answers a rate limit 503 for senders that retry only 5xx', async () => {
    const limited = new RetryLaterException(HttpStatus.TOO_MANY_REQUESTS, 'rate limit', 3);
    const step = {
      protocol: 'alertmanager' as const,
      bytes,
      count: 2,
      read: () => ({ ok: true as const, items: [] }),
      refused,
    };
    expect((await thrown(pipelineWith({ admitError: limited }).pipeline.many(http, step))).getStatus()).toBe(
      429,
    );
    const error = await thrown(
      pipelineWith({ admitError: limited }).pipeline.many(http, { ...step, rateLimitedAs503: true }),
    );
    expect(error.getStatus()).toBe(503);
    expect((error as RetryLaterException).retryAfterSeconds).toBe(3);
  });

  it('stores each event of a batch on its own, archiving the unreadable ones, results in order', async () => {
    const { pipeline, archived } = pipelineWith({
      ingest: (request) =>
        request.candidate === 'refused'
          ? { accepted: false, refusal: 'invalid', errors: [{ field: '$', reason: 'bad' }] }
          : stored,
    });
    const unreadable = [{ field: 'specversion', reason: 'is required' }];
    const outcome = await pipeline.many(http, {
      protocol: 'cloudevents',
      bytes,
      count: 3,
      read: () => ({
        ok: true,
        items: [
          { bytes: new Uint8Array([1]), event: { ok: true, candidate: 'good' } },
          { bytes: new Uint8Array([2]), event: { ok: false, errors: unreadable } },
          { bytes: new Uint8Array([3]), event: { ok: true, candidate: 'refused' } },
        ],
      }),
      refused,
    });
    expect(outcome).toEqual({
      accepted: 1,
      duplicates: 0,
      refused: 2,
      results: [
        { index: 0, status: 202, id: 'e1', fingerprint: 'f1', duplicate: false },
        { index: 1, status: 400, errors: unreadable },
        { index: 2, status: 400, errors: [{ field: '$', reason: 'bad' }] },
      ],
    });
    expect(archived).toEqual([
      expect.objectContaining({
        request: expect.objectContaining({ bytes: new Uint8Array([2]) }) as unknown,
      }),
    ]);
  });

  it('archives a batch refused whole with its refusal, then answers it', async () => {
    const { pipeline, archived } = pipelineWith();
    const errors = [{ field: 'alerts', reason: 'too many' }];
    const error = await thrown(
      pipeline.many(http, {
        protocol: 'alertmanager',
        bytes,
        count: 1,
        read: () => ({ ok: false, errors, refusal: 'too_large' }),
        refused,
      }),
    );
    expect(error.getStatus()).toBe(413);
    expect(archived).toEqual([
      expect.objectContaining({ errors, refusal: 'too_large', body: { source: 'billing' } }),
    ]);
  });
});

import { DeadLetterV1, RejectedEventV1, SubjectSpace } from '@vigil/contracts';
import { planDeadLetterReplay, planRejectedReplay } from './replay-plan';

const space = new SubjectSpace('t1');
const archive = { stream: 'T1_EVENTS_REJECTED', seq: 42 };
const rejected = (extra: Partial<RejectedEventV1>): RejectedEventV1 => ({
  schema: 'vigil.event.rejected/v1',
  rejectedAt: '2026-11-21T10:00:00.000Z',
  via: 'http',
  reasons: [{ field: 'severity', reason: 'must be one of …' }],
  original: '{"source":"shop","severity":"bogus"}',
  originalEncoding: 'utf8',
  ...extra,
});

describe('planRejectedReplay', () => {
  it('sends an HTTP producer event to the raw subject of its source, with a per-archive message id', () => {
    const plan = planRejectedReplay(rejected({}), 't1.events.rejected.shop', archive, space);
    expect(plan).toMatchObject({
      replay: true,
      subject: 't1.events.raw.shop',
      msgId: 'replay:T1_EVENTS_REJECTED:42',
    });
    expect(plan.replay && new TextDecoder().decode(plan.data)).toBe('{"source":"shop","severity":"bogus"}');
  });

  it('sends a NATS producer event back to the subject it was published to, headers and all', () => {
    const plan = planRejectedReplay(
      rejected({
        via: 'nats',
        subject: 't1.events.raw.other',
        protocol: 'cloudevents',
        headers: { 'ce-id': 'x' },
      }),
      't1.events.rejected.unknown',
      archive,
      space,
    );
    expect(plan).toMatchObject({ replay: true, subject: 't1.events.raw.other', headers: { 'ce-id': 'x' } });
  });

  it('restores binary originals byte for byte', () => {
    const bytes = Uint8Array.from([0xff, 0x00, 0x7b]);
    const plan = planRejectedReplay(
      rejected({ original: Buffer.from(bytes).toString('base64'), originalEncoding: 'base64' }),
      't1.events.rejected.shop',
      archive,
      space,
    );
    expect(plan.replay && Array.from(plan.data)).toEqual([0xff, 0x00, 0x7b]);
  });

  it('leaves webhook and syslog originals to their producers', () => {
    for (const protocol of ['alertmanager', 'pagerduty', 'panther', 'syslog'] as const) {
      expect(
        planRejectedReplay(rejected({ protocol }), 't1.events.rejected.x', archive, space),
      ).toMatchObject({
        replay: false,
        reason: expect.stringContaining(protocol),
      });
    }
  });
});

describe('planDeadLetterReplay', () => {
  const letter: DeadLetterV1 = {
    schema: 'vigil.deadletter/v1',
    failedAt: '2026-11-21T10:00:00.000Z',
    consumer: 'classifier-accepted',
    stream: 'T1_EVENTS_ACCEPTED',
    streamSequence: 7,
    subject: 't1.events.accepted.shop',
    deliveryCount: 8,
    cause: 'exhausted',
    error: 'boom',
    headers: { 'Nats-Msg-Id': 'old-id', traceparent: '00-abc-def-01' },
    original: '{"x":1}',
    originalEncoding: 'utf8',
  };

  it('goes back to the subject it was consumed from, keeping headers but not the old message id', () => {
    expect(planDeadLetterReplay(letter, { stream: 'T1_DEAD_LETTERS', seq: 3 })).toMatchObject({
      replay: true,
      subject: 't1.events.accepted.shop',
      headers: { traceparent: '00-abc-def-01' },
      msgId: 'replay:T1_DEAD_LETTERS:3',
    });
    const plan = planDeadLetterReplay(letter, { stream: 'T1_DEAD_LETTERS', seq: 3 });
    expect(plan.replay && plan.headers).not.toHaveProperty('Nats-Msg-Id');
  });
});

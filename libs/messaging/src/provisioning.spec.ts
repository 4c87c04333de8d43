import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { Consumers, STREAMS, SubjectSpace } from '@vigil/contracts';
import { consumerConfig, streamConfig } from './provisioning';

describe('JetStream configuration from the contracts', () => {
  const space = new SubjectSpace('t9');

  it('prefixes stream names and subjects and converts durations to nanoseconds', () => {
    const raw = STREAMS.find((s) => s.name === 'EVENTS_RAW')!;
    expect(streamConfig(raw, space)).toMatchObject({
      name: 'T9_EVENTS_RAW',
      subjects: ['t9.events.raw.>'],
      max_age: raw.maxAgeSeconds * 1e9,
      duplicate_window: raw.duplicateWindowSeconds * 1e9,
    });
  });

  it('makes durable, explicitly acknowledged consumers that see the whole stream', () => {
    const def = Consumers.CorrelatorClassified;
    expect(consumerConfig(def, space)).toMatchObject({
      durable_name: 'correlator-classified',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: 't9.events.classified.>',
      max_deliver: def.maxDeliver,
      ack_wait: def.ackWaitSeconds * 1e9,
      max_ack_pending: def.maxAckPending,
    });
  });
});

describe('stream replicas', () => {
  it('follow the setting, one by default', () => {
    const space = new SubjectSpace();
    expect(streamConfig(STREAMS[0], space).num_replicas).toBe(1);
    expect(streamConfig(STREAMS[0], space, 3).num_replicas).toBe(3);
  });
});

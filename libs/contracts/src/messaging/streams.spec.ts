import { Consumers, STREAMS } from './streams';

describe('stream and consumer definitions', () => {
  it('give every stream its own subject family', () => {
    const families = STREAMS.map((s) => s.family);
    expect(new Set(families).size).toBe(families.length);
  });

  it('bind every consumer to an existing stream of its subject family', () => {
    for (const consumer of Object.values(Consumers)) {
      const stream = STREAMS.find((s) => s.name === consumer.stream);
      expect(stream?.family).toBe(consumer.subject);
    }
  });

  it('name durable consumers <service>-<purpose> and keep them unique', () => {
    const names = Object.values(Consumers).map((c) => c.durable);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^(ingest|classifier|correlator|notifier|query)-[a-z-]+$/);
  });

  it('retry before dead-lettering and allow for the slowest handler run', () => {
    for (const consumer of Object.values(Consumers)) {
      expect(consumer.maxDeliver).toBeGreaterThan(1);
      expect(consumer.retryDelaysMs.length).toBeGreaterThan(0);
      expect(consumer.maxAckPending).toBeGreaterThanOrEqual(consumer.concurrency);
    }
  });
});

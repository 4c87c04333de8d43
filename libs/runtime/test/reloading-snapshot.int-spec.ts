import { BroadcastSubjects } from '@vigil/contracts';
import type { NatsClient } from '@vigil/messaging';
import { createTestNats, TestNats, waitFor } from '@vigil/testing';
import { ReloadingSnapshot } from '../src';

/** Stands for Postgres: what a save wrote. */
let stored = 1;

/** A replica holding a version of what is stored. */
class Replica extends ReloadingSnapshot {
  held = 0;
  loads = 0;

  constructor(nats: NatsClient, pollIntervalMs: number) {
    super(nats, { name: 'the test set', subject: BroadcastSubjects.IncidentRulesChanged, pollIntervalMs });
  }

  protected load(): Promise<void> {
    this.loads++;
    this.held = stored;
    return Promise.resolve();
  }

  protected override isHeld(notice: unknown): boolean {
    return (notice as { version: number }).version <= this.held;
  }
}

describe('ReloadingSnapshot (real NATS)', () => {
  let nats: TestNats;
  const replicas: Replica[] = [];

  async function replica(pollIntervalMs: number): Promise<Replica> {
    const started = new Replica(nats.client, pollIntervalMs);
    replicas.push(started);
    await started.onModuleInit();
    return started;
  }

  beforeAll(async () => {
    nats = await createTestNats();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.onModuleDestroy()));
    await nats.cleanup();
  });

  it('loads at start, and a save announced on one replica reaches the other at once', async () => {
    const a = await replica(60_000);
    const b = await replica(60_000);
    expect([a.held, b.held]).toEqual([1, 1]);
    stored = 2;
    await a.announce({ version: 2 });
    expect(a.held).toBe(2);
    await waitFor('replica b to reload', () => b.held === 2, { timeoutMs: 5000 });
  });

  it('does not reload for an announcement of what it already holds', async () => {
    const [a, b] = replicas;
    const loads = b.loads;
    await a.announce({ version: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(b.loads).toBe(loads);
  });

  it('catches a save whose announcement was lost at the next poll', async () => {
    const c = await replica(200);
    stored = 3;
    await waitFor('replica c to poll', () => c.held === 3, { timeoutMs: 5000 });
  });
});

import { BroadcastSubjects } from '@vigil/contracts';
import { createTestNats, TestNats, waitFor } from '@vigil/testing';
import { ReloadingSnapshot } from '../src';

/** Two replicas holding a version of something stored elsewhere (here a variable stands for Postgres). */
describe('ReloadingSnapshot (real NATS)', () => {
  let nats: TestNats;
  let stored = 1;
  const replicas: { held: number; loads: number; snapshot: ReloadingSnapshot }[] = [];

  function replica(pollIntervalMs: number) {
    const state = { held: 0, loads: 0, snapshot: undefined as unknown as ReloadingSnapshot };
    state.snapshot = new ReloadingSnapshot(nats.client, {
      name: 'the test set',
      context: 'test',
      subject: BroadcastSubjects.IncidentRulesChanged,
      pollIntervalMs,
      load: () => {
        state.loads++;
        state.held = stored;
        return Promise.resolve();
      },
      alreadyHeld: (notice) => (notice as { version: number }).version <= state.held,
    });
    replicas.push(state);
    return state;
  }

  beforeAll(async () => {
    nats = await createTestNats();
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.snapshot.stop()));
    await nats.cleanup();
  });

  it('loads at start, and a save announced on one replica reaches the other at once', async () => {
    const a = replica(60_000);
    const b = replica(60_000);
    await a.snapshot.start();
    await b.snapshot.start();
    expect([a.held, b.held]).toEqual([1, 1]);
    stored = 2;
    await a.snapshot.announce({ version: 2 });
    expect(a.held).toBe(2);
    await waitFor('replica b to reload', () => b.held === 2, { timeoutMs: 5000 });
  });

  it('does not reload for an announcement of what it already holds', async () => {
    const [a, b] = replicas;
    const loads = b.loads;
    await a.snapshot.announce({ version: 2 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(b.loads).toBe(loads);
  });

  it('catches a save whose announcement was lost at the next poll', async () => {
    const c = replica(200);
    await c.snapshot.start();
    stored = 3;
    await waitFor('replica c to poll', () => c.held === 3, { timeoutMs: 5000 });
  });
});

import { SerialReload } from './serial-reload';

describe('SerialReload', () => {
  it('coalesces requests made during a run into one next run, and never overlaps runs', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const gates: (() => void)[] = [];
    const reload = new SerialReload(async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      runs += 1;
      await new Promise<void>((resolve) => gates.push(resolve));
      running -= 1;
    });
    const first = reload.run();
    await Promise.resolve();
    const second = reload.run();
    const third = reload.run();
    expect(second).toBe(third);
    gates.shift()?.();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
    await second;
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it('a failed run rejects its callers but does not stop later runs', async () => {
    let fail = true;
    const reload = new SerialReload(() => (fail ? Promise.reject(new Error('boom')) : Promise.resolve()));
    await expect(reload.run()).rejects.toThrow('boom');
    fail = false;
    await expect(reload.run()).resolves.toBeUndefined();
    await expect(reload.settled()).resolves.toBeUndefined();
  });
});

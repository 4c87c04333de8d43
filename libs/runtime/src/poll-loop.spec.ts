import { PollLoop } from './poll-loop';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('PollLoop', () => {
  it('runs again at once while passes are full, then waits; a kick ends the wait', async () => {
    const results = [true, true, false, false];
    let passes = 0;
    const loop = new PollLoop(
      () => Promise.resolve(results[passes++] ?? false),
      60_000,
      () => undefined,
    );
    loop.start();
    for (let i = 0; i < 5; i++) await tick();
    expect(passes).toBe(3);
    loop.kick();
    for (let i = 0; i < 5; i++) await tick();
    expect(passes).toBe(4);
    await loop.stop();
  });

  it('reports a failed pass and keeps going', async () => {
    const errors: unknown[] = [];
    let passes = 0;
    const loop = new PollLoop(
      () => (passes++ === 0 ? Promise.reject(new Error('down')) : Promise.resolve(false)),
      1,
      (error) => errors.push(error),
    );
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await loop.stop();
    expect(errors).toHaveLength(1);
    expect(passes).toBeGreaterThan(1);
  });
});

import { GroupWrite } from './group-write';

describe('GroupWrite', () => {
  it('writes the first item at once and gathers those that arrive meanwhile into one batch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const group = new GroupWrite<number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await gate;
    });
    const first = group.add(1);
    const rest = [2, 3, 4].map((n) => group.add(n));
    expect(batches).toEqual([[1]]);
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every item of a failed batch and goes on with the next', async () => {
    let calls = 0;
    const group = new GroupWrite<string>((items) => {
      calls++;
      return items.includes('bad') ? Promise.reject(new Error('write failed')) : Promise.resolve();
    });
    const bad = group.add('bad');
    const later = group.add('good');
    await expect(bad).rejects.toThrow('write failed');
    await expect(later).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it('resolves an item only once its batch is written', async () => {
    const written: string[] = [];
    const group = new GroupWrite<string>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      written.push(...items);
    });
    await group.add('a');
    expect(written).toEqual(['a']);
  });
});

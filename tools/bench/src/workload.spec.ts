import { DEFAULT_MIX, seededRandom, Workload } from './workload';

describe('Workload', () => {
  it('repeats the same stream for the same seed', () => {
    const a = new Workload('r', 'storm', DEFAULT_MIX, 5);
    const b = new Workload('r', 'storm', DEFAULT_MIX, 5);
    for (let i = 0; i < 100; i++) expect(a.next()).toEqual(b.next());
  });

  it('follows the mix: about 13 % new fingerprints and 2 % clears of known ones', () => {
    const workload = new Workload('r', 'storm', DEFAULT_MIX, 9);
    const events = Array.from({ length: 20_000 }, () => workload.next());
    const distinct = new Set(events.map((e) => e.node)).size;
    expect(distinct).toBe(workload.distinctFingerprints);
    expect(distinct / events.length).toBeGreaterThan(0.11);
    expect(distinct / events.length).toBeLessThan(0.15);
    const clears = events.filter((e) => e.severity === 'cleared').length / events.length;
    expect(clears).toBeGreaterThan(0.01);
    expect(clears).toBeLessThan(0.03);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('never clears a fingerprint it has not sent, and sends about 256-byte events', () => {
    const workload = new Workload('run', 'storm', { ...DEFAULT_MIX, clearRatio: 0.5 }, 3);
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const event = workload.next();
      if (event.severity === 'cleared') expect(seen.has(event.node)).toBe(true);
      seen.add(event.node);
      const size = JSON.stringify(event).length;
      expect(size).toBeGreaterThan(200);
      expect(size).toBeLessThan(320);
    }
  });

  it('refuses a mix that cannot be generated', () => {
    expect(() => new Workload('r', 's', { ...DEFAULT_MIX, uniqueRatio: 0 })).toThrow();
    expect(() => new Workload('r', 's', { ...DEFAULT_MIX, clearRatio: 1 })).toThrow();
  });
});

describe('seededRandom', () => {
  it('stays in [0, 1)', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 10_000; i++) {
      const v = random();
      expect(v >= 0 && v < 1).toBe(true);
    }
  });
});

describe('severities', () => {
  it('keep a fingerprint at its usual severity, apart from the configured changes', () => {
    const workload = new Workload('r', 'storm', { ...DEFAULT_MIX, clearRatio: 0 }, 4);
    const events = Array.from({ length: 20_000 }, () => workload.next());
    const first = new Map<string, string>();
    let changes = 0;
    let repeats = 0;
    for (const event of events) {
      const usual = first.get(event.node);
      if (usual === undefined) first.set(event.node, event.severity);
      else {
        repeats++;
        if (event.severity !== usual) changes++;
      }
    }
    expect(changes / repeats).toBeGreaterThan(0.01);
    expect(changes / repeats).toBeLessThan(0.03);
  });
});

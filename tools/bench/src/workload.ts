/** What the load generator sends: how many fingerprints, which severities, how many clears. */
export interface WorkloadMix {
  /** Share of events that carry a fingerprint not seen before (0.13: 87 % duplicates, BigPanda's median). */
  uniqueRatio: number;
  /** Share of events that are `cleared` for a fingerprint already sent. */
  clearRatio: number;
  /**
   * Share of repeats that report a severity other than their fingerprint's usual one. A problem
   * keeps its severity from one report to the next; escalations are the exception.
   */
  severityChangeRatio: number;
  /** Problem severities; each fingerprint has one of them as its usual severity. */
  severities: readonly string[];
}

export const DEFAULT_MIX: WorkloadMix = {
  uniqueRatio: 0.13,
  clearRatio: 0.02,
  severityChangeRatio: 0.02,
  severities: ['critical', 'major', 'minor', 'warning'],
};

export interface BenchEvent {
  id: string;
  source: string;
  node: string;
  type: string;
  summary: string;
  severity: string;
  labels: Record<string, string>;
}

/** Small, fast and seeded, so two runs send the same stream of events. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/**
 * Producer events of about 256 bytes, following the mix: a new fingerprint with probability
 * `uniqueRatio`, otherwise a repeat (or, with `clearRatio`, a clear) of one already sent.
 */
export class Workload {
  private readonly random: () => number;
  private fingerprints = 0;
  private sent = 0;

  constructor(
    private readonly runId: string,
    private readonly source: string,
    private readonly mix: WorkloadMix = DEFAULT_MIX,
    seed = 42,
  ) {
    if (mix.uniqueRatio <= 0 || mix.uniqueRatio > 1) throw new Error('uniqueRatio must be in (0, 1]');
    if (mix.clearRatio < 0 || mix.clearRatio >= 1) throw new Error('clearRatio must be in [0, 1)');
    this.random = seededRandom(seed);
  }

  get distinctFingerprints(): number {
    return this.fingerprints;
  }

  next(): BenchEvent {
    const index = this.sent++;
    const fresh = this.fingerprints === 0 || this.random() < this.mix.uniqueRatio;
    const fingerprint = fresh ? this.fingerprints++ : Math.floor(this.random() * this.fingerprints);
    const clear = !fresh && this.random() < this.mix.clearRatio;
    const { severities } = this.mix;
    const changed = !fresh && this.random() < this.mix.severityChangeRatio;
    const severity = clear
      ? 'cleared'
      : severities[
          (fingerprint + (changed ? 1 + Math.floor(this.random() * (severities.length - 1)) : 0)) %
            severities.length
        ];
    return {
      id: `${this.runId}-${index}`,
      source: this.source,
      node: `host-${String(fingerprint).padStart(6, '0')}.bench.example`,
      type: 'FilesystemFull',
      summary: `Filesystem /var on host ${fingerprint} is ${80 + (index % 20)}% full`,
      severity,
      labels: { mount: '/var', team: `team-${fingerprint % 7}`, env: 'bench' },
    };
  }
}

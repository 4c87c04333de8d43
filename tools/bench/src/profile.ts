import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a sampled frame's code comes from: an npm package, one of our projects, or the runtime. */
export function origin(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8 / native';
    return 'native';
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const ours = /dist\/(libs|services|tools)\/([^/]+)/.exec(url);
  if (ours) return ours[1] === 'libs' ? `@vigil/${ours[2]}` : `${ours[2]} (service code)`;
  if (url.startsWith('node:')) return 'node core';
  return 'other';
}

export interface ProfileSummary {
  busyMs: number;
  /** Share of busy (non-idle) time by origin, largest first. */
  byOrigin: { origin: string; percent: number }[];
  topFunctions: { name: string; percent: number }[];
}

/** Self time per origin and per function across the `.cpuprofile` files of one service. */
export function summariseProfiles(dir: string, top = 12): ProfileSummary | undefined {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return undefined;
  }
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = nodes.get(id);
      if (!node) return;
      const where = origin(node.callFrame);
      if (where === 'idle') return;
      const micros = profile.timeDeltas[i] ?? 0;
      busy += micros;
      byOrigin.set(where, (byOrigin.get(where) ?? 0) + micros);
      const name = `${node.callFrame.functionName || '(anonymous)'} [${where}]`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    });
  }
  if (!busy) return undefined;
  const ranked = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([key, micros]) => ({ key, percent: Math.round((micros / busy) * 1000) / 10 }));
  return {
    busyMs: Math.round(busy / 1000),
    byOrigin: ranked(byOrigin).map(({ key, percent }) => ({ origin: key, percent })),
    topFunctions: ranked(byFunction).map(({ key, percent }) => ({ name: key, percent })),
  };
}

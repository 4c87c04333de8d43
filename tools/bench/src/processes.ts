import { readdirSync, readFileSync } from 'node:fs';

/** Peak resident set (VmHWM) of a process in MB, from /proc; undefined when unreadable. */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Resident file-backed memory of a process in MB (RssFile): for a service, the node binary and its
 * libraries, the same pages in every service, so a sum of resident sets counts them once per process.
 */
export function residentFileMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = /^RssFile:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in milliseconds. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime] = [Number(fields[11]), Number(fields[12])];
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The machine's busy and total CPU time so far (all cores), from /proc/stat, in ticks. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = values[3] + (values[4] ?? 0);
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Write system calls (`write`, `writev`) a process has made so far, from /proc/<pid>/io: over a
 * loopback socket each one is a trip through the kernel's TCP stack, so fewer means cheaper.
 */
export function writeCalls(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /^syscw:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * `read` summed over the live processes whose command name is `name` (e.g. postgres). Processes
 * that exit in between (autovacuum workers) are missed, so this is a lower bound.
 */
function sumByName(name: string, read: (pid: number) => number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) total += read(Number(entry));
    } catch {
      // the process ended between listing and reading
    }
  }
  return total;
}

/** `read` of each named service process, nats-server and the Postgres backends, so far. */
function snapshot(
  pids: Readonly<Record<string, number | undefined>>,
  read: (pid: number | undefined) => number,
): Record<string, number> {
  return {
    ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, read(pid)])),
    'nats-server': sumByName('nats-server', read),
    postgres: sumByName('postgres', read),
  };
}

/** CPU milliseconds used so far by each process: two snapshots around a phase tell what each spent on it. */
export function cpuSnapshot(pids: Readonly<Record<string, number | undefined>>): Record<string, number> {
  return snapshot(pids, cpuMs);
}

/** Write system calls made so far by each process, as `cpuSnapshot`. */
export function writeSnapshot(pids: Readonly<Record<string, number | undefined>>): Record<string, number> {
  return snapshot(pids, writeCalls);
}

/** Each process's growth between two snapshots per item (event, alert), to `decimals` places. */
export function perItem(
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
  items: number,
  decimals = 3,
): Record<string, number> {
  const scale = 10 ** decimals;
  return Object.fromEntries(
    Object.keys(after).map((key) => [
      key,
      items > 0 ? Math.round(((after[key] - (before[key] ?? 0)) / items) * scale) / scale : NaN,
    ]),
  );
}

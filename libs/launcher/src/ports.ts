import { readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

/**
 * Where the kernel takes the local ports of outgoing connections from. A port the OS hands out
 * for listening comes from the same range, so between our check and the service's listen an
 * outgoing connection (to NATS, to Postgres) may take it; ports below the range never are.
 */
function ephemeralRangeStart(): number {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const value = Number(start);
    return Number.isInteger(value) && value > 20_000 ? value : 32_768;
  } catch {
    return 32_768;
  }
}

const LOWEST = 15_000;
const handedOut = new Set<number>();

function listensOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    // All interfaces, as the services listen.
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A TCP port that was free a moment ago, for test and private instances: chosen at random below the
 * kernel's ephemeral range (see above), never the same twice in one process.
 */
export async function freePort(): Promise<number> {
  const highest = ephemeralRangeStart() - 1;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (highest - LOWEST + 1));
    if (handedOut.has(port)) continue;
    if (await listensOn(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free TCP port found between ${LOWEST} and ${highest}`);
}

/** True if something accepts TCP connections at host:port within `timeoutMs`. */
export function isReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

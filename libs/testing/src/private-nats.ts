import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  createAccount,
  createOperator,
  createUser,
  encodeAccount,
  encodeOperator,
  encodeUser,
  fmtCreds,
} from '@nats-io/jwt';
import { connect, credsAuthenticator } from '@nats-io/transport-node';
import type { ConnectionOptions, NatsConnection } from '@nats-io/transport-node';
import { freePort } from '@vigil/launcher';
import type { NatsConnectionOptions } from '@vigil/messaging';

export interface PrivateNatsOptions {
  /** One server, or three forming a JetStream cluster (routes between all three). */
  nodes?: 1 | 3;
  /**
   * Who may connect: users with passwords, a token, or decentralised auth (`operator`: an operator,
   * a system account and an account with JetStream, preloaded into a memory resolver, and a
   * `.creds` file for one user of that account). Default: anyone.
   */
  auth?: { users: { user: string; password: string }[] } | { token: string } | { operator: true };
  /**
   * TLS for clients with a CA made for this server (by `openssl`); `verifyClients` makes the server
   * require a client certificate signed by that CA (mutual TLS).
   */
  tls?: boolean | { verifyClients: boolean };
}

export interface PrivateNats {
  /** Every node's client URL, comma-separated (what `NATS_URL` takes). */
  url: string;
  urls: string[];
  /** The temporary directory: configuration, certificates, creds files and each node's store. */
  dir: string;
  /** Servers plus the first user's credentials and the TLS files a client needs to connect. */
  connection: NatsConnectionOptions;
  /** With `tls`: the CA to trust and a client certificate signed by it. */
  tls?: { caFile: string; certFile: string; keyFile: string };
  /** With `auth.operator`: a user of the server's account, and one of an account it does not know. */
  creds?: { credsFile: string; untrustedCredsFile: string };
  /** Stops a node (SIGKILL unless told otherwise) and waits until it has exited, e.g. for outages. */
  kill(node: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped node again with its configuration and store, and waits until it serves clients. */
  restart(node: number): Promise<void>;
  /** Ends this helper's own nats-server processes and removes their directory. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const CLUSTER_NAME = 'vigil-private';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** nats-server's configuration format takes JSON strings. */
const q = (value: string) => JSON.stringify(value);

function natsServerBinary(): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  const found = dirs.map((dir) => join(dir, 'nats-server')).find((candidate) => existsSync(candidate));
  if (!found) throw new Error('nats-server is not installed (looked on PATH, /usr/sbin, /usr/local/sbin)');
  return found;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A CA, a server certificate for 127.0.0.1/localhost and a client certificate, all signed by the CA. */
function makeCertificates(dir: string) {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    ['req', '-x509', ...ec, '-days', '2', '-subj', '/CN=Vigil private test CA', '-keyout', 'ca.key']
      .concat(['-out', 'ca.pem', '-addext', 'basicConstraints=critical,CA:TRUE'])
      .concat(['-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
    dir,
  );
  const leaf = (name: string, extensions: string) => {
    writeFileSync(
      join(dir, `${name}.ext`),
      `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n${extensions}\n`,
    );
    openssl(['req', ...ec, '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
    openssl(
      ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-days', '2']
        .concat(['-set_serial', `0x${randomBytes(8).toString('hex')}`, '-extfile', `${name}.ext`])
        .concat(['-out', `${name}.pem`]),
      dir,
    );
  };
  leaf('server', 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost');
  leaf('client', 'extendedKeyUsage=clientAuth');
  const file = (name: string) => join(dir, name);
  return {
    caFile: file('ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    certFile: file('client.pem'),
    keyFile: file('client.key'),
  };
}

const UNLIMITED_ACCOUNT = {
  subs: -1,
  data: -1,
  payload: -1,
  imports: -1,
  exports: -1,
  wildcards: true,
  conn: -1,
  leaf: -1,
  mem_storage: -1,
  disk_storage: -1,
  streams: -1,
  consumer: -1,
};

/**
 * Decentralised auth: the operator, system account and an account with JetStream as server
 * configuration (memory resolver), and creds files for a user of that account and for a user of
 * an account the server was never told about.
 */
async function makeOperatorAuth(dir: string) {
  const operator = createOperator();
  const system = createAccount();
  const account = createAccount();
  const stranger = createAccount();
  const operatorJwt = await encodeOperator('vigil-private', operator, {
    system_account: system.getPublicKey(),
  });
  const systemJwt = await encodeAccount('SYS', system, {}, { signer: operator });
  const accountJwt = await encodeAccount(
    'VIGIL',
    account,
    { limits: UNLIMITED_ACCOUNT },
    { signer: operator },
  );
  const writeCreds = async (name: string, issuer: typeof account) => {
    const user = createUser();
    const path = join(dir, `${name}.creds`);
    writeFileSync(path, fmtCreds(await encodeUser(name, user, issuer), user), { mode: 0o600 });
    return path;
  };
  return {
    config: [
      `operator: ${q(operatorJwt)}`,
      `system_account: ${q(system.getPublicKey())}`,
      'resolver: MEMORY',
      `resolver_preload: { ${q(system.getPublicKey())}: ${q(systemJwt)}, ${q(account.getPublicKey())}: ${q(accountJwt)} }`,
    ].join('\n'),
    credsFile: await writeCreds('vigil', account),
    untrustedCredsFile: await writeCreds('stranger', stranger),
  };
}

interface Node {
  name: string;
  port: number;
  routePort: number;
  configFile: string;
  child?: ChildProcess;
  /** The last lines nats-server wrote, for the error when it does not come up. */
  output: string[];
}

/**
 * Starts private `nats-server` processes (JetStream, each node with its own store, on free ports,
 * configuration generated in a temporary directory), optionally clustered, with authentication and
 * TLS, and waits until JetStream works — on a cluster, until a stream with three replicas can be
 * created. Only its own processes are ever signalled.
 */
export async function startPrivateNats(options: PrivateNatsOptions = {}): Promise<PrivateNats> {
  const binary = natsServerBinary();
  const count = options.nodes ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-nats-'));
  const nodes: Node[] = [];
  const killAll = () => {
    for (const node of nodes) if (running(node)) node.child?.kill('SIGKILL');
  };
  // A test run that ends without stop() must not leave servers behind.
  process.on('exit', killAll);

  try {
    const tlsSettings = options.tls ? makeCertificates(dir) : undefined;
    const verifyClients = typeof options.tls === 'object' && options.tls.verifyClients;
    const auth = options.auth;
    const operator = auth && 'operator' in auth ? await makeOperatorAuth(dir) : undefined;

    for (let i = 0; i < count; i++) {
      const name = `n${i + 1}`;
      mkdirSync(join(dir, name));
      nodes.push({
        name,
        port: await freePort(),
        routePort: count > 1 ? await freePort() : 0,
        configFile: join(dir, `${name}.conf`),
        output: [],
      });
    }
    const sections: string[] = [];
    if (auth && 'users' in auth) {
      const users = auth.users.map((u) => `{ user: ${q(u.user)}, password: ${q(u.password)} }`);
      sections.push(`authorization { users: [ ${users.join(', ')} ] }`);
    } else if (auth && 'token' in auth) {
      sections.push(`authorization { token: ${q(auth.token)} }`);
    } else if (operator) {
      sections.push(operator.config);
    }
    if (tlsSettings) {
      const { serverCert, serverKey, caFile } = tlsSettings;
      sections.push(
        `tls { cert_file: ${q(serverCert)}, key_file: ${q(serverKey)}, ca_file: ${q(caFile)}, verify: ${verifyClients}, timeout: 5 }`,
      );
    }
    for (const node of nodes) {
      const lines = [
        `server_name: ${q(node.name)}`,
        `listen: ${q(`127.0.0.1:${node.port}`)}`,
        `jetstream { store_dir: ${q(join(dir, node.name))}, max_memory_store: 268435456, max_file_store: 1073741824 }`,
        ...sections,
      ];
      if (count > 1) {
        const routes = nodes.filter((n) => n !== node).map((n) => q(`nats-route://127.0.0.1:${n.routePort}`));
        lines.push(
          `cluster { name: ${q(CLUSTER_NAME)}, listen: ${q(`127.0.0.1:${node.routePort}`)}, routes: [ ${routes.join(', ')} ] }`,
        );
      }
      writeFileSync(node.configFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    }

    const urls = nodes.map((n) => `${tlsSettings ? 'tls' : 'nats'}://127.0.0.1:${n.port}`);
    const tls = tlsSettings
      ? { caFile: tlsSettings.caFile, certFile: tlsSettings.certFile, keyFile: tlsSettings.keyFile }
      : undefined;
    const connection: NatsConnectionOptions = {
      servers: urls.join(','),
      ...(auth && 'users' in auth ? { user: auth.users[0].user, password: auth.users[0].password } : {}),
      ...(auth && 'token' in auth ? { token: auth.token } : {}),
      ...(operator ? { credsFile: operator.credsFile } : {}),
      ...(tls ? { tls: verifyClients ? tls : { caFile: tls.caFile } } : {}),
    };
    // The helper's own checks use nats.js directly, not the code under test.
    const clientOptions = (servers: string[]): ConnectionOptions => ({
      servers,
      user: connection.user,
      pass: connection.password,
      token: connection.token,
      authenticator: operator ? credsAuthenticator(readFileSync(operator.credsFile)) : undefined,
      tls: connection.tls ? { ...connection.tls } : undefined,
      reconnect: false,
      timeout: 2000,
    });

    const start = (node: Node) => {
      node.output = [];
      const child = spawn(binary, ['-c', node.configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        node.output.push(...chunk.split('\n').filter(Boolean));
        node.output.splice(0, Math.max(0, node.output.length - 40));
      });
      node.child = child;
    };

    /** Connects to the given nodes until `check` passes on a connection, or the time is up. */
    const waitFor = async (targets: Node[], what: string, check: (nc: NatsConnection) => Promise<void>) => {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      let lastError: unknown;
      while (Date.now() < deadline) {
        const dead = targets.find((n) => !running(n));
        if (dead) throw new Error(`nats-server ${dead.name} exited:\n${dead.output.join('\n')}`);
        try {
          const nc = await connect(clientOptions(targets.map((n) => `127.0.0.1:${n.port}`)));
          try {
            await check(nc);
            return;
          } finally {
            await nc.close();
          }
        } catch (error) {
          lastError = error;
          await delay(200);
        }
      }
      const logs = targets.map((n) => `${n.name}:\n${n.output.join('\n')}`).join('\n');
      throw new Error(
        `private NATS: ${what} not ready after ${READY_TIMEOUT_MS} ms (${String(lastError)})\n${logs}`,
      );
    };
    const jetStreamAnswers = async (nc: NatsConnection) => {
      await (await jetstreamManager(nc)).getAccountInfo();
    };
    // Per node: it serves clients and JetStream answers through it.
    const waitReady = (node: Node) => waitFor([node], node.name, jetStreamAnswers);

    for (const node of nodes) start(node);
    for (const node of nodes) await waitReady(node);
    if (count > 1) {
      // A meta leader is elected and every node takes part in a replicated stream.
      await waitFor(nodes, 'the cluster', async (nc) => {
        const jsm = await jetstreamManager(nc);
        const name = `PRIVATE_NATS_PROBE_${randomBytes(4).toString('hex')}`;
        await jsm.streams.add({ name, subjects: [`private-nats-probe.${name}`], num_replicas: count });
        await jsm.streams.delete(name);
      });
    }

    let stopped = false;
    return {
      url: urls.join(','),
      urls,
      dir,
      connection,
      tls,
      creds: operator
        ? { credsFile: operator.credsFile, untrustedCredsFile: operator.untrustedCredsFile }
        : undefined,
      async kill(index, signal = 'SIGKILL') {
        await stopNode(nodeAt(nodes, index), signal);
      },
      async restart(index) {
        const node = nodeAt(nodes, index);
        if (running(node)) throw new Error(`nats-server ${node.name} is still running`);
        start(node);
        await waitReady(node);
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await Promise.all(nodes.map((node) => stopNode(node, 'SIGTERM')));
        process.removeListener('exit', killAll);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(nodes.map((node) => stopNode(node, 'SIGKILL')));
    process.removeListener('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function nodeAt(nodes: Node[], index: number): Node {
  const node = nodes[index];
  if (!node) throw new Error(`no node ${index}: nodes are 0 to ${nodes.length - 1}`);
  return node;
}

function running(node: Node): boolean {
  return node.child !== undefined && node.child.exitCode === null && node.child.signalCode === null;
}

/** Signals the node's own process and waits for it to exit (SIGKILL if SIGTERM takes too long). */
async function stopNode(node: Node, signal: NodeJS.Signals): Promise<void> {
  const child = node.child;
  if (!child || !running(node)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const overdue = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(overdue);
}

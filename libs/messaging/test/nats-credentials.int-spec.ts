import { ConnectionEnv, loadEnv } from '@vigil/config';
import { createNatsClient, messagingOptionsFromEnv, NatsClient, NatsConnectError } from '../src';
import { PrivateNats, startPrivateNats, uniquePrefix } from '@vigil/testing';

/**
 * Connecting to NATS servers that want credentials and TLS, configured the way a deployment does it:
 * variables → `loadEnv` → `messagingOptionsFromEnv` → `createNatsClient`, against private servers.
 */
const connectWith = (server: PrivateNats, variables: Record<string, string>): Promise<NatsClient> =>
  createNatsClient({
    ...messagingOptionsFromEnv(loadEnv(ConnectionEnv, { NATS_URL: server.url, ...variables })),
    prefix: uniquePrefix(),
    service: 'test',
    // A failure that should be immediate must not hide behind retries until the test's timeout.
    firstConnectTimeoutMs: 5000,
  });

/** Connects, proves the connection works (a core request and JetStream), and closes it. */
async function expectWorking(server: PrivateNats, variables: Record<string, string>) {
  const client = await connectWith(server, variables);
  try {
    const sub = client.connection.subscribe('probe', {
      callback: (_err, msg) => {
        msg.respond('pong');
      },
    });
    expect((await client.connection.request('probe', '', { timeout: 2000 })).string()).toBe('pong');
    sub.unsubscribe();
    expect((await client.jsm.getAccountInfo()).limits).toBeDefined();
    return client.connection.info;
  } finally {
    await client.connection.close();
  }
}

/** The failure, which must come quickly (no waiting forever) and never quote a secret. */
async function expectRefusal(
  server: PrivateNats,
  variables: Record<string, string>,
  secrets: string[] = [],
): Promise<NatsConnectError> {
  const started = Date.now();
  const error = await connectWith(server, variables).then(
    async (client) => {
      await client.connection.close();
      throw new Error('connected, but should have been refused');
    },
    (e: unknown) => e,
  );
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(error).toBeInstanceOf(NatsConnectError);
  const message = (error as Error).message;
  for (const secret of secrets) expect(message).not.toContain(secret);
  expect(message).toContain(`cannot connect to NATS at ${server.url}`);
  return error as NatsConnectError;
}

describe('NATS with user and password', () => {
  let server: PrivateNats;
  beforeAll(async () => {
    server = await startPrivateNats({ auth: { users: [{ user: 'vigil', password: 'correct horse' }] } });
  });
  afterAll(() => server?.stop());

  it('connects with NATS_USER and NATS_PASSWORD', async () => {
    await expectWorking(server, { NATS_USER: 'vigil', NATS_PASSWORD: 'correct horse' });
  });

  it('stops at once with the reason when the password is wrong', async () => {
    const error = await expectRefusal(server, { NATS_USER: 'vigil', NATS_PASSWORD: 'battery staple' }, [
      'battery staple',
    ]);
    expect(error.problem).toBe('credentials');
    expect(error.message).toMatch(/Authorization Violation/i);
    expect(error.message).toContain('as user "vigil" (NATS_USER, NATS_PASSWORD)');
  });

  it('says so when no credentials were configured', async () => {
    const error = await expectRefusal(server, {});
    expect(error.problem).toBe('credentials');
    expect(error.message).toMatch(/Authorization Violation.*without credentials/i);
  });
});

describe('NATS with a token', () => {
  let server: PrivateNats;
  beforeAll(async () => {
    server = await startPrivateNats({ auth: { token: 's3cret-t0ken' } });
  });
  afterAll(() => server?.stop());

  it('connects with NATS_TOKEN', async () => {
    await expectWorking(server, { NATS_TOKEN: 's3cret-t0ken' });
  });

  it('refuses a wrong token with the reason', async () => {
    const error = await expectRefusal(server, { NATS_TOKEN: 'guessed-token' }, ['guessed-token']);
    expect(error.problem).toBe('credentials');
    expect(error.message).toMatch(/Authorization Violation.*with the token in NATS_TOKEN/i);
  });
});

describe('NATS with TLS from a private CA', () => {
  let server: PrivateNats;
  beforeAll(async () => {
    server = await startPrivateNats({
      tls: true,
      auth: { users: [{ user: 'vigil', password: 'tls-pass-9f' }] },
    });
  });
  afterAll(() => server?.stop());

  it('connects over TLS trusting NATS_TLS_CA_FILE', async () => {
    const info = await expectWorking(server, {
      NATS_USER: 'vigil',
      NATS_PASSWORD: 'tls-pass-9f',
      NATS_TLS_CA_FILE: server.tls!.caFile,
    });
    expect(info?.tls_required).toBe(true);
  });

  it("stops at once when the server's certificate is not trusted", async () => {
    const error = await expectRefusal(server, { NATS_USER: 'vigil', NATS_PASSWORD: 'tls-pass-9f' }, [
      'tls-pass-9f',
    ]);
    expect(error.problem).toBe('tls');
    expect(error.message).toMatch(/TLS failed \(.*certificate.*\), trusting the system's CAs/);
  });
});

describe('NATS_TLS_CA_FILE against a server without TLS', () => {
  let tlsServer: PrivateNats;
  let plainServer: PrivateNats;
  beforeAll(async () => {
    [tlsServer, plainServer] = await Promise.all([startPrivateNats({ tls: true }), startPrivateNats()]);
  });
  afterAll(() => Promise.all([tlsServer?.stop(), plainServer?.stop()]));

  it('refuses to fall back to plain text, and says why', async () => {
    const error = await expectRefusal(plainServer, { NATS_TLS_CA_FILE: tlsServer.tls!.caFile });
    expect(error.problem).toBe('configuration');
    expect(error.message).toMatch(
      /server does not support 'tls' \(trusting the CA in .* \(NATS_TLS_CA_FILE\)/,
    );
  });
});

describe('NATS with mutual TLS', () => {
  let server: PrivateNats;
  beforeAll(async () => {
    server = await startPrivateNats({ tls: { verifyClients: true } });
  });
  afterAll(() => server?.stop());

  it('connects with the client certificate in NATS_TLS_CERT_FILE and NATS_TLS_KEY_FILE', async () => {
    const { caFile, certFile, keyFile } = server.tls!;
    await expectWorking(server, {
      NATS_TLS_CA_FILE: caFile,
      NATS_TLS_CERT_FILE: certFile,
      NATS_TLS_KEY_FILE: keyFile,
    });
  });

  it('is refused without a client certificate, with a hint (nats.js sees only a timeout)', async () => {
    const error = await expectRefusal(server, { NATS_TLS_CA_FILE: server.tls!.caFile });
    expect(error.problem).toBe('unreachable');
    expect(error.message).toMatch(
      /timeout; a server that requires client certificates .* NATS_TLS_CERT_FILE/,
    );
  });
});

describe('NATS with decentralised auth (creds file)', () => {
  let server: PrivateNats;
  beforeAll(async () => {
    server = await startPrivateNats({ auth: { operator: true } });
  });
  afterAll(() => server?.stop());

  it('connects with NATS_CREDS_FILE and uses JetStream in its account', async () => {
    await expectWorking(server, { NATS_CREDS_FILE: server.creds!.credsFile });
  });

  it('refuses a user of an account the server does not know, naming the file', async () => {
    const file = server.creds!.untrustedCredsFile;
    const error = await expectRefusal(server, { NATS_CREDS_FILE: file });
    expect(error.problem).toBe('credentials');
    expect(error.message).toMatch(/Authorization Violation/i);
    expect(error.message).toContain(`with the creds file ${file} (NATS_CREDS_FILE)`);
  });
});

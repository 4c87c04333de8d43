import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ServiceProcess, workspaceRoot } from '@vigil/launcher';
import {
  createTestDatabase,
  PrivateNats,
  startPrivateNats,
  TestDatabase,
  uniquePrefix,
  waitFor,
} from '@vigil/testing';

const run = promisify(execFile);
const PASSWORD = 'e2e-Pa55word';
const WRONG = 'not-the-Pa55word';

/**
 * A service process and the `vigil` command against a NATS that wants a password, configured by the
 * environment only: started with the right one, it logs the names of its settings (never a value);
 * with a wrong one, it exits at once with a line that names the cause.
 */
describe('a NATS that wants credentials, end to end', () => {
  let nats: PrivateNats;
  let database: TestDatabase;
  const prefix = uniquePrefix();

  const natsEnv = (password: string) => ({
    NATS_URL: nats.url,
    NATS_USER: 'vigil',
    NATS_PASSWORD: password,
    VIGIL_SUBJECT_PREFIX: prefix,
  });
  const query = async (password: string) =>
    new ServiceProcess({
      name: 'query',
      port: await freePort(),
      env: { ...natsEnv(password), DATABASE_URL: database.url, LOG_LEVEL: 'info' },
    });

  beforeAll(async () => {
    nats = await startPrivateNats({ auth: { users: [{ user: 'vigil', password: PASSWORD }] } });
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
    await nats?.stop();
  });

  it('starts a service with the right password and logs which settings came from the environment', async () => {
    const service = await query(PASSWORD);
    service.start();
    try {
      await service.waitUntilReady(30_000);
    } finally {
      await service.stop();
    }
    const line = service.output.find((l) => l.includes('settings from the environment:'));
    expect(line).toBeDefined();
    const entry = JSON.parse(line!) as { level: string; context: string; message: string };
    expect(entry).toMatchObject({ level: 'log', context: 'Bootstrap' });
    const names = entry.message.replace('settings from the environment: ', '').split(', ');
    expect(names).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'HTTP_PORT',
        'LOG_LEVEL',
        'NATS_PASSWORD',
        'NATS_URL',
        'NATS_USER',
        'VIGIL_SUBJECT_PREFIX',
      ]),
    );
    expect(names).toEqual([...names].sort());
    expect(service.output.join('\n')).not.toContain(PASSWORD);
  });

  it('stops a service started with a wrong password, naming the cause and not the password', async () => {
    const service = await query(WRONG);
    service.start();
    let code: number | null;
    try {
      await waitFor('query to exit by itself', () => !service.running, { timeoutMs: 30_000 });
    } finally {
      // The exit code of a process that ended; a SIGKILL'ed one (null) if it was still waiting.
      code = await service.stop(0);
    }
    expect(code).toBe(1);
    const errors = service.output
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; message: string })
      .filter((entry) => entry.level === 'error');
    expect(errors.map((entry) => entry.message.split('\n')[0])).toContainEqual(
      expect.stringMatching(
        /cannot connect to NATS at nats:\/\/127\.0\.0\.1:\d+: the server refused our credentials \(Authorization Violation\): we connected as user "vigil" \(NATS_USER, NATS_PASSWORD\)$/,
      ),
    );
    expect(service.output.join('\n')).not.toContain(WRONG);
  });

  it('lets `vigil provision` use the same settings', async () => {
    const vigil = (password: string) =>
      run(process.execPath, [join(workspaceRoot(), 'bin', 'vigil.js'), 'provision'], {
        env: { ...process.env, ...natsEnv(password), LOG_LEVEL: 'warn' },
        // Ends the command if a regression makes it wait for NATS forever.
        timeout: 60_000,
      });
    expect((await vigil(PASSWORD)).stdout).toContain('streams and consumers are provisioned');
    const refused = await vigil(WRONG).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    expect(`${refused?.stdout}${refused?.stderr}`).toMatch(
      /refused our credentials \(Authorization Violation\)/,
    );
    expect(`${refused?.stdout}${refused?.stderr}`).not.toContain(WRONG);
  });
});

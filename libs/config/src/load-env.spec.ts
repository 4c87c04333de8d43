import { IsInt, Max, Min } from 'class-validator';
import { BaseEnv } from './base.env';
import { EnvValidationError, loadEnv, settingsFromEnvironment } from './load-env';
import { DEFAULT_DATABASE_URL, DEFAULT_NATS_URL } from './services';

class ExampleEnv extends BaseEnv {
  override HTTP_PORT: number = 9999;

  @Max(10)
  @Min(1)
  @IsInt()
  EXAMPLE_BATCH: number = 5;
}

describe('loadEnv', () => {
  it('gives the defaults that work on a developer machine', () => {
    const env = loadEnv(ExampleEnv, {});
    expect(env).toMatchObject({
      NATS_URL: DEFAULT_NATS_URL,
      DATABASE_URL: DEFAULT_DATABASE_URL,
      LOG_LEVEL: 'info',
      VIGIL_SUBJECT_PREFIX: '',
      HTTP_PORT: 9999,
      EXAMPLE_BATCH: 5,
    });
    expect(env).toBeInstanceOf(ExampleEnv);
  });

  it('converts declared variables to their types and ignores the rest of the environment', () => {
    const env = loadEnv(ExampleEnv, {
      HTTP_PORT: '8081',
      EXAMPLE_BATCH: '7',
      PATH: '/bin',
      LOG_LEVEL: 'debug',
    });
    expect(env.HTTP_PORT).toBe(8081);
    expect(env.EXAMPLE_BATCH).toBe(7);
    expect(env.LOG_LEVEL).toBe('debug');
    expect(env).not.toHaveProperty('PATH');
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv(ExampleEnv, { EXAMPLE_BATCH: '' }).EXAMPLE_BATCH).toBe(5);
  });

  it('names each bad variable, the reason and the value in one line', () => {
    let caught: unknown;
    try {
      loadEnv(ExampleEnv, { HTTP_PORT: 'eighty', NATS_URL: 'localhost:4222', EXAMPLE_BATCH: '11' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvValidationError);
    const message = (caught as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(/HTTP_PORT must be an integer number .*\(got "eighty"\)/);
    expect(message).toMatch(/NATS_URL must be a nats:\/\/ URL .*\(got "localhost:4222"\)/);
    expect(message).toMatch(/EXAMPLE_BATCH must not be greater than 10 \(got "11"\)/);
    expect((caught as EnvValidationError).problems).toHaveLength(3);
  });

  it('refuses a subject prefix that would break subjects', () => {
    expect(() => loadEnv(ExampleEnv, { VIGIL_SUBJECT_PREFIX: 'a.b' })).toThrow(
      /VIGIL_SUBJECT_PREFIX may contain only/,
    );
  });
});

describe('NATS credentials and TLS files', () => {
  const file = __filename;
  const problems = (source: NodeJS.ProcessEnv): string[] => {
    try {
      loadEnv(ExampleEnv, source);
      return [];
    } catch (error) {
      return (error as EnvValidationError).problems;
    }
  };

  it('accepts a user with a password, a token, or a creds file, and TLS files', () => {
    expect(problems({ NATS_USER: 'vigil', NATS_PASSWORD: 'pw' })).toEqual([]);
    expect(problems({ NATS_TOKEN: 't0ken' })).toEqual([]);
    expect(problems({ NATS_CREDS_FILE: file })).toEqual([]);
    expect(problems({ NATS_TLS_CA_FILE: file, NATS_TLS_CERT_FILE: file, NATS_TLS_KEY_FILE: file })).toEqual(
      [],
    );
    const env = loadEnv(ExampleEnv, {});
    expect(env).toMatchObject({ NATS_USER: '', NATS_PASSWORD: '', NATS_TOKEN: '', NATS_CREDS_FILE: '' });
  });

  it('wants a user and a password together', () => {
    expect(problems({ NATS_USER: 'vigil' })).toEqual(['NATS_USER needs NATS_PASSWORD as well (got "vigil")']);
    expect(problems({ NATS_PASSWORD: 'pw' })).toEqual(['NATS_PASSWORD needs NATS_USER as well']);
  });

  it('takes one way of authenticating', () => {
    expect(problems({ NATS_USER: 'vigil', NATS_PASSWORD: 'pw', NATS_TOKEN: 'tok' })).toEqual([
      'NATS_TOKEN cannot be combined with NATS_USER',
    ]);
    expect(problems({ NATS_TOKEN: 'tok', NATS_CREDS_FILE: file })).toEqual([
      'NATS_TOKEN cannot be combined with NATS_CREDS_FILE',
    ]);
    expect(problems({ NATS_USER: 'u', NATS_PASSWORD: 'pw', NATS_CREDS_FILE: file })).toEqual([
      `NATS_CREDS_FILE cannot be combined with NATS_USER (got "${file}")`,
    ]);
  });

  it('wants files that exist, and a client certificate with its key', () => {
    expect(problems({ NATS_TLS_CA_FILE: '/nonexistent/ca.pem' })).toEqual([
      'NATS_TLS_CA_FILE must name a readable file (got "/nonexistent/ca.pem")',
    ]);
    expect(problems({ NATS_CREDS_FILE: __dirname })).toEqual([
      `NATS_CREDS_FILE must name a readable file (got "${__dirname}")`,
    ]);
    expect(problems({ NATS_TLS_CERT_FILE: file })).toEqual([
      `NATS_TLS_CERT_FILE needs NATS_TLS_KEY_FILE as well (got "${file}")`,
    ]);
    expect(problems({ NATS_TLS_KEY_FILE: file })).toEqual([
      `NATS_TLS_KEY_FILE needs NATS_TLS_CERT_FILE as well (got "${file}")`,
    ]);
  });

  it('never quotes a password or token in a refusal', () => {
    const message = problems({
      NATS_PASSWORD: 'hunter2',
      NATS_TOKEN: 's3cret-token',
      NATS_CREDS_FILE: file,
    }).join('; ');
    expect(message).toContain('NATS_PASSWORD');
    expect(message).toContain('NATS_TOKEN');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('s3cret-token');
  });
});

describe('settingsFromEnvironment', () => {
  it('names the declared variables the source sets, sorted, and nothing else', () => {
    expect(
      settingsFromEnvironment(ExampleEnv, {
        NATS_URL: 'nats://x:4222',
        HTTP_PORT: '1',
        EXAMPLE_BATCH: '3',
        NATS_PASSWORD: 'never shown',
        NATS_USER: 'u',
        PATH: '/bin',
        LOG_LEVEL: '',
      }),
    ).toEqual(['EXAMPLE_BATCH', 'HTTP_PORT', 'NATS_PASSWORD', 'NATS_URL', 'NATS_USER']);
  });

  it('is empty when nothing is set', () => {
    expect(settingsFromEnvironment(ExampleEnv, { HOME: '/root' })).toEqual([]);
  });
});

describe('credentials in refused values', () => {
  it('quotes a refused URL without its user and password', () => {
    expect(() => loadEnv(ExampleEnv, { NATS_URL: 'http://vigil:hunter2@nats:4222' })).toThrow(
      /NATS_URL must be a nats:\/\/ URL .*\(got "http:\/\/nats:4222"\)/,
    );
    expect(() => loadEnv(ExampleEnv, { NATS_URL: 'http://vigil:hunter2@nats:4222' })).not.toThrow(/hunter2/);
  });
});

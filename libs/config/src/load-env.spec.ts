import { IsInt, Max, Min } from 'class-validator';
import { BaseEnv } from './base.env';
import { EnvValidationError, loadEnv } from './load-env';
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

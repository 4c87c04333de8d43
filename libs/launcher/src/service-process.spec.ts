import { tmpdir } from 'node:os';
import { ServiceProcess } from './service-process';

const PATH = '/usr/local/bin:/usr/bin:/bin';

/** ServiceProcess running an arbitrary command (as the image tests do), with `/bin/sh` as the program. */
describe('ServiceProcess with a command', () => {
  const untilOutput = async (process: ServiceProcess<string>, line: string) => {
    for (let i = 0; i < 100 && !process.output.includes(line); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('runs it in `cwd` with exactly `env` (and HTTP_PORT) when inheritEnv is false', async () => {
    const process = new ServiceProcess({
      name: 'probe',
      command: ['sh', '-c', 'echo "$FOO|$HOME|$HTTP_PORT|$(pwd)"'],
      env: { FOO: 'bar', PATH },
      inheritEnv: false,
      port: 1234,
      cwd: tmpdir(),
    });
    process.start();
    expect(await process.waitForExit(5_000)).toEqual({ code: 0, signal: null });
    expect(process.output).toEqual([`bar||1234|${tmpdir()}`]);
  });

  it('stops it with its stopSignal and returns the exit code', async () => {
    const process = new ServiceProcess({
      name: 'trapper',
      command: ['sh', '-c', "trap 'exit 7' INT; echo ready; while :; do sleep 0.05; done"],
      env: { PATH },
      inheritEnv: false,
      stopSignal: 'SIGINT',
    });
    process.start();
    await untilOutput(process, 'ready');
    expect(await process.stop(2_000)).toBe(7);
    expect(process.running).toBe(false);
  });

  it('reports a program that cannot be started instead of waiting for it', async () => {
    const process = new ServiceProcess({ name: 'missing', command: ['/nonexistent/program'], env: {} });
    process.start();
    expect(await process.waitForExit(5_000)).toEqual({ code: null, signal: null });
    expect(process.running).toBe(false);
    expect(process.output.join('\n')).toContain('cannot start /nonexistent/program');
    await expect(process.waitUntilReady(1_000)).rejects.toThrow('cannot start /nonexistent/program');
  });

  it('needs a command for anything but a service', () => {
    expect(() => new ServiceProcess({ name: 'probe', env: {} }).start()).toThrow(
      'probe is not a service: give a command to run',
    );
  });
});

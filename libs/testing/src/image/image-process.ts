import { ProcessExit, ServiceProcess } from '@vigil/launcher';
import { imageCommand, imageSearchPath, ImageTarget } from './image-build';

export interface ImageProcessOptions {
  /** Label in errors; default the target's stage name. */
  name?: string;
  /** Arguments after the image name in `docker run <image> [args…]`: they replace CMD. */
  args?: string[];
  /**
   * Added to the image's ENV, like `docker run -e` (connection settings, or the environment a
   * Helm chart renders). PATH is imageSearchPath() unless the image or `env` sets it.
   */
  env?: Record<string, string>;
  /** The port it listens on (set as HTTP_PORT, overriding `env`) and where /readyz is probed. */
  port?: number;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * A target's command as its container would run it: ENTRYPOINT + CMD (or `args`), as the image's
 * USER, in its WORKDIR, with only the image's ENV, PATH and `env` — nothing of this process's
 * environment. `stop()` sends the image's STOPSIGNAL. Not started yet: call `start()`.
 */
export function imageProcess(target: ImageTarget, options: ImageProcessOptions = {}): ServiceProcess<string> {
  return new ServiceProcess<string>({
    name: options.name ?? target.stage,
    command: imageCommand(target, options.args),
    cwd: target.workdirPath,
    uid: target.user.uid,
    gid: target.user.gid,
    inheritEnv: false,
    env: { PATH: imageSearchPath(), ...target.env, ...options.env },
    port: options.port,
    stopSignal: target.stopSignal,
    onLine: options.onLine,
  });
}

/** `imageProcess`, started. */
export function startImageProcess(
  target: ImageTarget,
  options: ImageProcessOptions = {},
): ServiceProcess<string> {
  const child = imageProcess(target, options);
  child.start();
  return child;
}

export interface ImageRun extends ProcessExit {
  output: string[];
}

/** `docker run --rm <image> [args…]`: runs the target's command to its end (killed after `timeoutMs`). */
export async function runImageCommand(
  target: ImageTarget,
  args: string[] | undefined,
  options: Omit<ImageProcessOptions, 'args'> & { timeoutMs?: number } = {},
): Promise<ImageRun> {
  const child = startImageProcess(target, { ...options, args });
  const exit = await child.waitForExit(options.timeoutMs ?? 60_000);
  return { ...exit, output: [...child.output] };
}

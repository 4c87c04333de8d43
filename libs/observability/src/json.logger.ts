import { ConsoleLogger, LogLevel as NestLogLevel } from '@nestjs/common';
import type { LogLevel } from '@vigil/config';

const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  verbose: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/**
 * One JSON object per line, with the service name and an ISO time, so that log collectors can index
 * the output of five services without parsing rules. Nest's own JSON mode, plus those two fields.
 */
export class JsonLogger extends ConsoleLogger {
  constructor(
    private readonly service: string,
    level: LogLevel,
  ) {
    super({ json: true, colors: false, logLevels: NEST_LEVELS[level] });
  }

  protected override getJsonLogObject(
    message: unknown,
    options: {
      context: string;
      logLevel: NestLogLevel;
      writeStreamType?: 'stdout' | 'stderr';
      errorStack?: unknown;
    },
  ) {
    return {
      time: new Date().toISOString(),
      service: this.service,
      ...super.getJsonLogObject(message, options),
    };
  }
}

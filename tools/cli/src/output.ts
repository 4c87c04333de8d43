import type { LoggerService } from '@nestjs/common';

/** The CLI's own messages (not the services' JSON logs), prefixed so they stand out. */
export function say(message: string): void {
  process.stdout.write(`vigil: ${message}\n`);
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`vigil: ${message}\n`);
  process.exit(code);
}

/** Lets the libraries' Nest loggers speak through the CLI's own voice. */
export const cliLogger: LoggerService = {
  log: (message: unknown) => say(String(message)),
  warn: (message: unknown) => say(`warning: ${String(message)}`),
  error: (message: unknown) => process.stderr.write(`vigil: ${String(message)}\n`),
};

import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';

export class EnvValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment: ${problems.join('; ')}`);
    this.name = 'EnvValidationError';
  }
}

function declaredVariables(cls: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

function describe(error: ValidationError, raw: Record<string, string | undefined>): string {
  const reasons = Object.values(error.constraints ?? {}).map((r) =>
    r.startsWith(`${error.property} `) ? r.slice(error.property.length + 1) : r,
  );
  const got = raw[error.property];
  return `${error.property} ${reasons.join(', ')}${got === undefined ? '' : ` (got "${got}")`}`;
}

/**
 * Reads the variables a class declares (and only those) from `source`, converts them to the declared
 * types, applies the class's defaults and validates. Throws `EnvValidationError` naming each bad
 * variable and its value.
 */
export function loadEnv<T extends object>(cls: new () => T, source: NodeJS.ProcessEnv = process.env): T {
  const raw: Record<string, string | undefined> = {};
  for (const name of declaredVariables(cls)) {
    const value = source[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const env = plainToInstance(cls, raw, { exposeDefaultValues: true, enableImplicitConversion: true });
  // One reason per variable; each class lists its type check last, so that is the one reported.
  const errors = validateSync(env, { validationError: { target: false }, stopAtFirstError: true });
  if (errors.length) throw new EnvValidationError(errors.map((e) => describe(e, raw)));
  return env;
}

/** For `main.ts`: a bad variable stops the process with one line on stderr naming it. */
export function loadEnvOrExit<T extends object>(cls: new () => T, serviceName: string): T {
  try {
    return loadEnv(cls);
  } catch (error) {
    if (error instanceof EnvValidationError) {
      process.stderr.write(`vigil-${serviceName}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { isSecretVariable, withoutCredentials } from './env-rules';

export class EnvValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid environment: ${problems.join('; ')}`);
    this.name = 'EnvValidationError';
  }
}

/** The variables a settings class declares (every validated property), its parents' included. */
export function declaredVariables(cls: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

function describe(
  cls: new () => object,
  error: ValidationError,
  raw: Record<string, string | undefined>,
): string {
  const reasons = Object.values(error.constraints ?? {}).map((r) =>
    r.startsWith(`${error.property} `) ? r.slice(error.property.length + 1) : r,
  );
  const got = isSecretVariable(cls, error.property) ? undefined : raw[error.property];
  // A URL's credentials are secrets even where the rest of the value helps whoever set it.
  return `${error.property} ${reasons.join(', ')}${got === undefined ? '' : ` (got "${withoutCredentials(got)}")`}`;
}

/**
 * The names (never the values) of the variables of `cls` that `source` sets, sorted; an empty value
 * counts as unset, as in `loadEnv`. A process logs them at start-up, so that a variable a deployment
 * sets but nothing reads any more can be found.
 */
export function settingsFromEnvironment(
  cls: new () => object,
  source: NodeJS.ProcessEnv = process.env,
): string[] {
  return declaredVariables(cls)
    .filter((name) => source[name] !== undefined && source[name] !== '')
    .sort();
}

/**
 * Reads the variables a class declares (and only those) from `source`, converts them to the declared
 * types, applies the class's defaults and validates. Throws `EnvValidationError` naming each bad
 * variable and its value (never the value of a `@Secret()` one).
 */
export function loadEnv<T extends object>(cls: new () => T, source: NodeJS.ProcessEnv = process.env): T {
  const raw: Record<string, string | undefined> = {};
  for (const name of settingsFromEnvironment(cls, source)) raw[name] = source[name];
  const env = plainToInstance(cls, raw, { exposeDefaultValues: true, enableImplicitConversion: true });
  // One reason per variable; each class lists its type check last, so that is the one reported.
  const errors = validateSync(env, { validationError: { target: false }, stopAtFirstError: true });
  if (errors.length) throw new EnvValidationError(errors.map((e) => describe(cls, e, raw)));
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

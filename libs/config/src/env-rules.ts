import { accessSync, constants, statSync } from 'node:fs';
import { ValidateBy, ValidationArguments } from 'class-validator';

const SECRETS = Symbol('vigil:secret-variables');

const isSet = (value: unknown) => value !== undefined && value !== null && value !== '';

function other(args: ValidationArguments, name: string): unknown {
  return (args.object as Record<string, unknown>)[name];
}

/**
 * A variable whose value must never appear in a message: a refusal names the variable and the rule,
 * not what was given (values of other variables are quoted to help whoever set them).
 */
export function Secret(): PropertyDecorator {
  return (target, property) => {
    // getMetadata walks the prototype chain, so a subclass's list includes its parents' secrets.
    const names = (Reflect.getMetadata(SECRETS, target) as string[] | undefined) ?? [];
    Reflect.defineMetadata(SECRETS, [...names, String(property)], target);
  };
}

export function isSecretVariable(cls: new () => object, name: string): boolean {
  const names = (Reflect.getMetadata(SECRETS, cls.prototype as object) as string[] | undefined) ?? [];
  return names.includes(name);
}

/** Any URL in `text` without its `user:password@` part: safe to log or to quote in a refusal. */
export function withoutCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s,]*@/gi, '$1');
}

/** Set only together with `partner`: half a pair (a user without a password) is a mistake. */
export function RequiresWith(partner: string): PropertyDecorator {
  return ValidateBy({
    name: 'requiresWith',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        !isSet(value) || (args !== undefined && isSet(other(args, partner))),
      defaultMessage: () => `needs ${partner} as well`,
    },
  });
}

/** Not set together with any of `rivals`: two ways of saying the same thing, one would be ignored. */
export function ExcludesWith(...rivals: string[]): PropertyDecorator {
  const present = (args?: ValidationArguments) =>
    args === undefined ? [] : rivals.filter((name) => isSet(other(args, name)));
  return ValidateBy({
    name: 'excludesWith',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => !isSet(value) || present(args).length === 0,
      defaultMessage: (args?: ValidationArguments) => `cannot be combined with ${present(args).join(', ')}`,
    },
  });
}

/**
 * Names a file this process can read (or is empty). Checked at start-up, so a mistyped path or a
 * missing mount is reported by the variable's name instead of by the first connection attempt.
 */
export function IsReadableFile(): PropertyDecorator {
  return ValidateBy({
    name: 'isReadableFile',
    validator: {
      validate: (value: unknown) => {
        if (!isSet(value)) return true;
        if (typeof value !== 'string') return false;
        try {
          accessSync(value, constants.R_OK);
          return statSync(value).isFile();
        } catch {
          return false;
        }
      },
      defaultMessage: () => 'must name a readable file',
    },
  });
}

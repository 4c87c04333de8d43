import { FieldError } from '@vigil/matching';

/** `path` is where the object sits (`levels[1]`, or '' at the top), so the fault names the key's full path. */
export function unknownFields(
  input: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  errors: FieldError[],
): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) {
      errors.push({
        field: join(path, key),
        reason: `unknown field (allowed: ${allowed.join(', ')})`,
      });
    }
  }
}

export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

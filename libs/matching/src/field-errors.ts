/** A fault in a window, matcher or inhibition rule; `field` is a path into the input (`rrule`, `matchers[1]`). */
export interface FieldError {
  field: string;
  reason: string;
}

export type Parsed<K extends string, T> = ({ ok: true } & Record<K, T>) | { ok: false; errors: FieldError[] };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** `?source=` as the producer gave it; a repeated parameter counts by its first value. */
export function requestedSource(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === '' ? undefined : first;
}

/** For `@Transform`: `a,b` and repeated parameters both give a list. */
export const commaList = ({ value }: { value: unknown }): string[] =>
  (Array.isArray(value) ? value : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);

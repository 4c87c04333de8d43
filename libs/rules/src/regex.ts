/**
 * Panther writes a regular expression as a string between slashes (`"/disk (\\d+)/i"`) or as a YAML
 * `!!js/regexp` tag, which the loader turns into the same string. Anything else is literal text.
 */
const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;

export function isRegexLiteral(text: string): boolean {
  return REGEX_LITERAL.test(text);
}

export type RegexParse = { ok: true; regex: RegExp } | { ok: false; message: string };

/**
 * `stateless` drops `g` and `y`: with them `RegExp.test` remembers `lastIndex` between events, so
 * the same text would match on one event and not on the next.
 */
export function parseRegexLiteral(text: string, options: { stateless: boolean }): RegexParse {
  const parts = REGEX_LITERAL.exec(text);
  if (!parts) return { ok: false, message: `"${text}" is not a /regex/flags literal` };
  const [, source, written] = parts;
  const flags = options.stateless ? written.replace(/[gy]/g, '') : written;
  try {
    return { ok: true, regex: new RegExp(source, flags) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export function regexLiteral(regex: RegExp): string {
  return `/${regex.source}/${regex.flags}`;
}

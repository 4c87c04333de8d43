/**
 * The word rules of a Dockerfile (BuildKit's `shell.Lex`, not a shell): quotes, escapes and `$VAR`
 * expansion in the instructions the builder expands (FROM, ARG, ENV, LABEL, WORKDIR, COPY, USER,
 * EXPOSE, STOPSIGNAL). RUN, CMD and ENTRYPOINT are not expanded by the builder: the shell or nobody does.
 */

/** Looks a variable up; `undefined` means unset (expands to the empty string, or a `:-` default). */
export type VariableLookup = (name: string) => string | undefined;

export class DockerfileWordError extends Error {}

const isNameChar = (ch: string) => /[A-Za-z0-9_]/.test(ch);

/**
 * Expands one word: removes quotes and escapes, substitutes `$NAME`, `${NAME}`, `${NAME:-word}`,
 * `${NAME-word}`, `${NAME:+word}`, `${NAME+word}`, `${NAME:?message}`, `${NAME?message}`. Whitespace
 * is kept (ENV's legacy `ENV NAME a b` form is one word). Inside single quotes nothing is expanded.
 */
export function expandWord(word: string, lookup: VariableLookup, escape = '\\'): string {
  return new WordExpander(word, lookup, escape).expand();
}

class WordExpander {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly lookup: VariableLookup,
    private readonly escape: string,
  ) {}

  expand(stopAt?: string): string {
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (stopAt !== undefined && ch === stopAt) return out;
      this.pos++;
      if (ch === this.escape) {
        // A trailing escape is dropped, as BuildKit does.
        if (this.pos < this.text.length) out += this.text[this.pos++];
      } else if (ch === "'") {
        out += this.singleQuoted();
      } else if (ch === '"') {
        out += this.doubleQuoted();
      } else if (ch === '$') {
        out += this.variable();
      } else {
        out += ch;
      }
    }
    if (stopAt !== undefined) throw new DockerfileWordError(`missing '${stopAt}' in ${this.text}`);
    return out;
  }

  private singleQuoted(): string {
    const end = this.text.indexOf("'", this.pos);
    if (end < 0) throw new DockerfileWordError(`unterminated single quote in ${this.text}`);
    const value = this.text.slice(this.pos, end);
    this.pos = end + 1;
    return value;
  }

  private doubleQuoted(): string {
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos++];
      if (ch === '"') return out;
      if (ch === '$') {
        out += this.variable();
      } else if (ch === this.escape) {
        const next = this.text[this.pos];
        // Only `"`, `$` and the escape itself are escapable inside double quotes; others stay as written.
        if (next === '"' || next === '$' || next === this.escape) {
          out += next;
          this.pos++;
        } else {
          out += ch;
        }
      } else {
        out += ch;
      }
    }
    throw new DockerfileWordError(`unterminated double quote in ${this.text}`);
  }

  /** After a `$`. */
  private variable(): string {
    const next = this.text[this.pos];
    if (next === '{') {
      this.pos++;
      const name = this.name();
      if (!name) throw new DockerfileWordError(`bad substitution in ${this.text}`);
      const value = this.lookup(name);
      const op = this.text[this.pos];
      if (op === '}') {
        this.pos++;
        return value ?? '';
      }
      const colon = op === ':';
      if (colon) this.pos++;
      const modifier = this.text[this.pos++];
      const word = this.expand('}');
      this.pos++; // the closing brace
      const set = colon ? value !== undefined && value !== '' : value !== undefined;
      switch (modifier) {
        case '-':
          return set ? value! : word;
        case '+':
          return set ? word : '';
        case '?':
          if (!set) throw new DockerfileWordError(`${name}: ${word || 'is not set'}`);
          return value!;
        default:
          throw new DockerfileWordError(
            `unsupported substitution \${${name}${colon ? ':' : ''}${modifier ?? ''}…} in ${this.text}`,
          );
      }
    }
    if (next !== undefined && isNameChar(next)) return this.lookup(this.name()) ?? '';
    return '$';
  }

  private name(): string {
    const start = this.pos;
    while (this.pos < this.text.length && isNameChar(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }
}

/**
 * Splits on whitespace outside quotes and escapes, keeping quotes and escapes in the words (for
 * `expandWord`). BuildKit splits ARG, ENV and LABEL this way; COPY and EXPOSE split on plain
 * whitespace, which dockerfile-ast's `getArguments()` already does.
 */
export function splitWords(text: string, escape = '\\'): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      current += ch;
      if (ch === escape && quote === '"' && i + 1 < text.length) current += text[++i];
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    inWord = true;
    current += ch;
    if (ch === escape && i + 1 < text.length) current += text[++i];
    else if (ch === '"' || ch === "'") quote = ch;
  }
  if (quote) throw new DockerfileWordError(`unterminated quote in ${text}`);
  if (inWord) words.push(current);
  return words;
}

/**
 * The argument text of an instruction as BuildKit sees it: line continuations joined, and comment
 * and empty lines inside a continuation dropped. (dockerfile-ast's `getArgumentsContent()` keeps
 * such comment lines, which would reach `/bin/sh -c`.)
 */
export function joinContinuations(raw: string, escape = '\\'): string {
  const lines = raw.split(/\r?\n/);
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (i > 0 && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    const trimmed = line.replace(/[ \t]+$/, '');
    out += trimmed.endsWith(escape) ? trimmed.slice(0, -escape.length) : line;
  }
  return out.trim();
}

/** Paths a command must not name: it runs on this machine, where they are the host's. */
const ALLOWED_ABSOLUTE = new Set(['/dev/null', '/dev/stdout', '/dev/stderr']);

/**
 * What in a RUN command would reach outside the stage's directory on the host: absolute paths
 * (except /dev/null, /dev/stdout, /dev/stderr), `~`, `..` segments, `$HOME`. A guard against a
 * system-changing step being run here, not a sandbox: a program can still write where it likes.
 */
export function hostPathsIn(command: string): string[] {
  const found = new Set<string>();
  const boundary = String.raw`(?:^|[\s=:"'(<>|;&\`,])`;
  for (const match of command.matchAll(new RegExp(`${boundary}(/(?!/)[^\\s"';|&<>()\`,]*)`, 'g'))) {
    if (!ALLOWED_ABSOLUTE.has(match[1])) found.add(match[1]);
  }
  for (const match of command.matchAll(new RegExp(`${boundary}(~[^\\s"';|&<>()\`,]*)`, 'g')))
    found.add(match[1]);
  for (const match of command.matchAll(/(?:^|[\s=:"'/])(\.\.)(?=\/|$|[\s"';|&<>)])/g)) found.add(match[1]);
  for (const match of command.matchAll(/\$\{?HOME\b\}?/g)) found.add(match[0]);
  return [...found];
}

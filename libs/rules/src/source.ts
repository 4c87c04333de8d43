import { isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseDocument, ScalarTag, Document } from 'yaml';
import type { RuleError } from './errors';

/**
 * A parsed YAML or JSON text as plain values, with the position of every value and every mapping key
 * by path (`globals.rules[0].match.summary`), so validation can speak in paths and still report the
 * line and column a person has to fix.
 */
export interface LoadedSource {
  value: unknown;
  locate: (path: string, at: 'key' | 'value') => { line: number; column: number } | undefined;
}

export type LoadResult = { ok: true; source: LoadedSource } | { ok: false; errors: RuleError[] };

/**
 * js-yaml's `!!js/regexp`, which Panther's files use. It becomes the `/re/flags` string the rest of
 * the language understands; js-yaml also accepts a bare pattern without slashes.
 */
const JS_REGEXP_TAG: ScalarTag = {
  tag: 'tag:yaml.org,2002:js/regexp',
  resolve: (text: string) => (/^\/.+\/[a-z]*$/s.test(text) ? text : `/${text}/`),
};

export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

export function loadSource(text: string, format: 'yaml' | 'json'): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    customTags: format === 'yaml' ? [JS_REGEXP_TAG] : [],
    ...(format === 'json' ? { schema: 'json' as const } : {}),
  });
  const position = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  const errors: RuleError[] = [];
  if (format === 'json') {
    const jsonError = strictJsonError(text);
    if (jsonError) {
      const offset = jsonError.offset ?? doc.errors[0]?.pos[0] ?? 0;
      return { ok: false, errors: [{ message: jsonError.message, path: '', ...position(offset) }] };
    }
  }
  for (const error of doc.errors) {
    errors.push({ message: `YAML: ${error.message}`, path: '', ...position(error.pos[0]) });
  }
  for (const warning of doc.warnings) {
    // An unknown tag would otherwise silently turn into a plain string.
    errors.push({ message: `YAML: ${warning.message}`, path: '', ...position(warning.pos[0]) });
  }
  if (errors.length) return { ok: false, errors };

  const values = new Map<string, number>();
  const keys = new Map<string, number>();
  const value = toValue(doc, doc.contents, '', values, keys, errors, position);
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    source: {
      value,
      locate: (path, at) => {
        // A missing key has no position of its own: point at the nearest thing that exists.
        for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
          const offset = at === 'key' ? (keys.get(p) ?? values.get(p)) : (values.get(p) ?? keys.get(p));
          if (offset !== undefined) return position(offset);
        }
        return undefined;
      },
    },
  };
}

function toValue(
  doc: Document.Parsed,
  node: unknown,
  path: string,
  values: Map<string, number>,
  keys: Map<string, number>,
  errors: RuleError[],
  position: (offset: number) => { line: number; column: number },
): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (node.range) values.set(path, node.range[0]);
    return target ? toValue(doc, target, path, new Map(), new Map(), errors, position) : null;
  }
  const located = node as Node;
  if (located.range) values.set(path, located.range[0]);
  if (isScalar(node)) return node.value;
  if (isSeq(node)) {
    return node.items.map((item, index) =>
      toValue(doc, item, childPath(path, index), values, keys, errors, position),
    );
  }
  if (isMap(node)) {
    // A null prototype: a key such as `__proto__` in a rule file is then only a (rejected) key.
    const object = Object.create(null) as Record<string, unknown>;
    for (const pair of node.items) {
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? keyNode.value : keyNode;
      const keyOffset = (keyNode as Node | null)?.range?.[0] ?? located.range?.[0] ?? 0;
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') {
        errors.push({ message: 'mapping keys must be plain text', path, ...position(keyOffset) });
        continue;
      }
      const name = String(key);
      const child = childPath(path, name);
      keys.set(child, keyOffset);
      object[name] = toValue(doc, pair.value, child, values, keys, errors, position);
      if (!values.has(child)) values.set(child, keyOffset);
    }
    return object;
  }
  return null;
}

/**
 * JSON.parse is the authority on what JSON is (YAML reads `{'a': 1}` happily). Node 20 names an
 * offset in some of its messages; otherwise the YAML parser's position for the same fault is used.
 */
function strictJsonError(text: string): { message: string; offset?: number } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /at position (\d+)/.exec(message);
    const short = message
      .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')
      .replace(/ in JSON at position \d+.*$/s, '');
    return { message: `JSON: ${short}`, ...(at ? { offset: Number(at[1]) } : {}) };
  }
}

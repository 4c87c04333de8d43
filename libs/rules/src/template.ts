import { FieldParse, FieldRef, fieldText } from './fields';

/**
 * A template such as `"{node}: {match.1}"`, parsed once into literal text and placeholders so that
 * rendering is a concatenation. `{{` and `}}` stand for literal braces.
 */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'field'; field: FieldRef; name: string }
  | { kind: 'match'; index: number };

export interface Template {
  source: string;
  parts: readonly TemplatePart[];
}

export type TemplateParse = { ok: true; template: Template } | { ok: false; message: string; offset: number };

export type FieldResolver = (name: string) => FieldParse;

const MATCH_PLACEHOLDER = /^match\.(\d+)$/;

export function parseTemplate(source: string, resolve: FieldResolver): TemplateParse {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '{' && source[i + 1] === '{') {
      text += '{';
      i += 2;
    } else if (c === '}' && source[i + 1] === '}') {
      text += '}';
      i += 2;
    } else if (c === '}') {
      return {
        ok: false,
        message: `unbalanced "}" at offset ${i} (write "}}" for a literal brace)`,
        offset: i,
      };
    } else if (c === '{') {
      const close = source.indexOf('}', i + 1);
      const nextOpen = source.indexOf('{', i + 1);
      if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
        return {
          ok: false,
          message: `unbalanced "{" at offset ${i} (write "{{" for a literal brace)`,
          offset: i,
        };
      }
      const name = source.slice(i + 1, close).trim();
      const placeholder = placeholderPart(name, resolve);
      if (typeof placeholder === 'string') return { ok: false, message: placeholder, offset: i };
      if (text) parts.push({ kind: 'text', text });
      text = '';
      parts.push(placeholder);
      i = close + 1;
    } else {
      text += c;
      i += 1;
    }
  }
  if (text) parts.push({ kind: 'text', text });
  return { ok: true, template: { source, parts } };
}

function placeholderPart(name: string, resolve: FieldResolver): TemplatePart | string {
  if (name === '') return 'empty placeholder "{}"';
  const match = MATCH_PLACEHOLDER.exec(name);
  if (match) return { kind: 'match', index: Number(match[1]) };
  const field = resolve(name);
  return field.ok ? { kind: 'field', field: field.field, name } : `placeholder {${name}}: ${field.message}`;
}

/** The template written out again, with each placeholder in its canonical (Vigil) name. */
export function templateText(template: Template): string {
  return template.parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return part.text.replace(/[{}]/g, (brace) => brace + brace);
        case 'field':
          return `{${fieldText(part.field)}}`;
        case 'match':
          return `{match.${part.index}}`;
      }
    })
    .join('');
}

export function isConstant(template: Template): boolean {
  return template.parts.every((part) => part.kind === 'text');
}

export function constantText(template: Template): string {
  return template.parts.map((part) => (part.kind === 'text' ? part.text : '')).join('');
}

export function usesCaptures(template: Template): boolean {
  return template.parts.some((part) => part.kind === 'match');
}

import { ValidateBy, ValidationOptions } from 'class-validator';
import Handlebars from 'handlebars';
import { Notification, sampleNotification } from './notification';
import {
  mapContextStrings,
  Shape,
  TEMPLATE_CONTEXT_SHAPE,
  TemplateContext,
  templateContext,
} from './template-context';

/**
 * Templates are Handlebars (logic-less, widely known, maintained, no code execution, prototype
 * access blocked by default) restricted to a checked subset: the documented variables, the block
 * helpers if/unless/each/with and the helpers below; no partials, decorators or block parameters.
 * Every path in every branch is checked against the context's shape when a channel is configured,
 * so a typo is a configuration error, not an empty string in a page at 3 a.m.
 *
 * How output is made safe depends on where it goes (the mode):
 * - `text`: plain text (email text part, Slack plain_text, Teams, PagerDuty, webhook fields); no escaping.
 * - `html`: the email HTML part; every `{{value}}` is HTML-escaped and `{{{raw}}}` is refused.
 * - `slack`: Slack mrkdwn; values have `&`, `<` and `>` escaped (Slack's rule), so alert text cannot
 *   make links or mention `<!channel>`, while the template's own markup works.
 * JSON is never produced by a template: adapters render strings field by field and serialize.
 */
export type TemplateMode = 'text' | 'html' | 'slack';

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const engine = Handlebars.create();

/** Helper name → number of arguments. Each is total: it never throws on any context value. */
const HELPERS = {
  eq: 2,
  ne: 2,
  default: 2,
  truncate: 2,
  upper: 1,
  lower: 1,
} as const satisfies Record<string, number>;
type HelperName = keyof typeof HELPERS;

/** Helpers only ever see context values, which are strings, numbers, booleans or null. */
const asText = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';

engine.registerHelper({
  eq: (a: unknown, b: unknown) => a === b,
  ne: (a: unknown, b: unknown) => a !== b,
  default: (value: unknown, fallback: unknown) =>
    value === null || value === undefined || value === '' ? fallback : value,
  truncate: (value: unknown, length: unknown) => truncate(asText(value), Number(length)),
  upper: (value: unknown) => asText(value).toUpperCase(),
  lower: (value: unknown) => asText(value).toLowerCase(),
});

const BLOCK_HELPERS = new Set(['if', 'unless', 'each', 'with']);

/** Cuts to `max` characters (code points, so no half emoji), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (!Number.isFinite(max) || max < 1) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** Slack's escaping for text it interprets: only these three (docs.slack.dev, "Escaping text"). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// --- the static check -----------------------------------------------------------------------

type Node = hbs.AST.Node;

interface Scope {
  shape: Shape;
  /** Inside `each`: @key, @index, @first, @last are defined. */
  inEach: boolean;
}

class Checker {
  readonly problems: string[] = [];

  constructor(private readonly mode: TemplateMode) {}

  private report(node: Node, message: string): void {
    const at = node.loc ? ` (line ${node.loc.start.line}, column ${node.loc.start.column + 1})` : '';
    this.problems.push(`${message}${at}`);
  }

  program(program: hbs.AST.Program, scopes: Scope[]): void {
    if (program.blockParams?.length) {
      this.report(program, 'block parameters (as |x|) are not supported; use this, @key and @index');
    }
    for (const statement of program.body) this.statement(statement, scopes);
  }

  private statement(node: hbs.AST.Statement, scopes: Scope[]): void {
    switch (node.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement':
        return this.mustache(node as hbs.AST.MustacheStatement, scopes);
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, scopes);
      case 'PartialStatement':
      case 'PartialBlockStatement':
        return this.report(node, 'partials ({{> name}}) are not supported');
      default:
        return this.report(node, `${node.type} is not supported`);
    }
  }

  private mustache(node: hbs.AST.MustacheStatement, scopes: Scope[]): void {
    if (!node.escaped && this.mode === 'html') {
      this.report(node, 'unescaped output ({{{…}}} or {{&…}}) is not allowed in HTML templates');
    }
    if (node.path.type !== 'PathExpression') {
      return this.report(node, 'a literal cannot be looked up; write the text outside {{ }}');
    }
    const path = node.path as hbs.AST.PathExpression;
    if (node.params.length || node.hash?.pairs.length) return this.helperCall(node, path, scopes);
    if (isHelperName(path)) return this.helperCall(node, path, scopes);
    const shape = this.resolve(path, scopes);
    if (shape && shape.type !== 'scalar') {
      this.report(path, `${path.original} is not a value: name one of its fields, or use #each`);
    }
  }

  private helperCall(
    node: hbs.AST.MustacheStatement | hbs.AST.SubExpression,
    path: hbs.AST.PathExpression,
    scopes: Scope[],
  ): void {
    if (!isHelperName(path)) {
      return this.report(
        path,
        `unknown helper "${path.original}" (helpers: ${Object.keys(HELPERS).join(', ')})`,
      );
    }
    const name = path.original as HelperName;
    if (node.hash?.pairs.length) this.report(node, `${name} takes no name=value options`);
    if (node.params.length !== HELPERS[name]) {
      this.report(node, `${name} takes ${HELPERS[name]} argument(s), got ${node.params.length}`);
    }
    if (name === 'truncate') {
      const length = node.params[1];
      if (
        length &&
        !(length.type === 'NumberLiteral' && isPositiveInteger(length as hbs.AST.NumberLiteral))
      ) {
        this.report(length, 'truncate needs a whole number of characters, e.g. (truncate subject.title 80)');
      }
    }
    for (const param of node.params) this.expression(param, scopes);
  }

  private expression(node: hbs.AST.Expression, scopes: Scope[]): void {
    switch (node.type) {
      case 'PathExpression': {
        const path = node as hbs.AST.PathExpression;
        const shape = this.resolve(path, scopes);
        if (shape && shape.type !== 'scalar') this.report(path, `${path.original} is not a value`);
        return;
      }
      case 'SubExpression': {
        const sub = node as hbs.AST.SubExpression;
        return this.helperCall(sub, sub.path, scopes);
      }
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
      case 'NullLiteral':
      case 'UndefinedLiteral':
        return;
      default:
        return this.report(node, `${node.type} is not supported`);
    }
  }

  private block(node: hbs.AST.BlockStatement, scopes: Scope[]): void {
    const name = node.path.original;
    if (node.type !== 'BlockStatement' || !BLOCK_HELPERS.has(name) || node.path.data) {
      return this.report(node, `unknown block "#${name}" (blocks: #if, #unless, #each, #with)`);
    }
    if (node.hash?.pairs.length) this.report(node, `#${name} takes no name=value options`);
    if (node.params.length !== 1) {
      return this.report(node, `#${name} takes one argument, got ${node.params.length}`);
    }
    const [param] = node.params;
    if (name === 'if' || name === 'unless') {
      this.expression(param, scopes);
      this.program(node.program, scopes);
    } else {
      // each and with change the context: #each walks a map (the labels), #with enters an object.
      const path = param.type === 'PathExpression' ? (param as hbs.AST.PathExpression) : undefined;
      const shape = path ? this.resolve(path, scopes) : undefined;
      if (!path) {
        this.report(param, `#${name} needs a variable such as subject.labels`);
      } else if (shape && name === 'each' && shape.type !== 'map') {
        // An object's fields are not alike (labels and counts are objects), so they are not a list.
        this.report(param, `#each needs a map such as subject.labels, and ${path.original} is not one`);
      } else if (shape && name === 'with' && shape.type !== 'object') {
        this.report(param, `#with needs an object such as subject, and ${path.original} is not one`);
      } else if (shape) {
        const inner = shape.type === 'map' ? shape.values : shape;
        this.program(node.program, [...scopes, { shape: inner, inEach: name === 'each' }]);
      }
    }
    // `{{else}}` runs in the enclosing context for every block helper.
    if (node.inverse) this.program(node.inverse, scopes);
  }

  /** The shape a path names, or undefined (reported) when it names nothing. */
  private resolve(path: hbs.AST.PathExpression, scopes: Scope[]): Shape | undefined {
    let shape: Shape;
    let parts = path.parts;
    if (path.data) {
      const [head, ...rest] = parts;
      const scope = scopes[scopes.length - 1];
      if (head === 'root') {
        shape = scopes[0].shape;
        parts = rest;
      } else if (['key', 'index', 'first', 'last'].includes(head) && rest.length === 0 && scope.inEach) {
        return { type: 'scalar' };
      } else {
        this.report(path, `@${head} is only defined inside #each`);
        return undefined;
      }
    } else {
      if (path.depth >= scopes.length) {
        this.report(path, `${path.original} goes above the top of the template`);
        return undefined;
      }
      shape = scopes[scopes.length - 1 - path.depth].shape;
    }
    let walked = '';
    for (const part of parts) {
      walked = walked ? `${walked}.${part}` : part;
      if (shape.type === 'object') {
        const next = Object.hasOwn(shape.fields, part) ? shape.fields[part] : undefined;
        if (!next) {
          const known = Object.keys(shape.fields).join(', ');
          this.report(path, `unknown variable "${path.original}" ("${part}" is not one of: ${known})`);
          return undefined;
        }
        shape = next;
      } else if (shape.type === 'map') {
        shape = shape.values;
      } else {
        this.report(path, `unknown variable "${path.original}" (${walked} is a value, it has no fields)`);
        return undefined;
      }
    }
    return shape;
  }
}

function isHelperName(path: hbs.AST.PathExpression): boolean {
  return !path.data && path.depth === 0 && path.parts.length === 1 && path.original in HELPERS;
}

function isPositiveInteger(literal: hbs.AST.NumberLiteral): boolean {
  return Number.isInteger(literal.value) && literal.value > 0;
}

// --- compile, validate, render --------------------------------------------------------------

type Compiled = (context: TemplateContext) => string;

/** Compiled templates by mode and source; bounded because sources come from configuration. */
const compiled = new Map<string, Compiled>();
const COMPILED_LIMIT = 500;

/** The reasons a template cannot be used in this mode; empty when it can. */
export function templateProblems(source: string, mode: TemplateMode): string[] {
  let ast: hbs.AST.Program;
  try {
    ast = engine.parse(source);
  } catch (error) {
    return [`syntax error: ${(error as Error).message.replace(/\s*\n[\s\S]*$/, '')}`];
  }
  const checker = new Checker(mode);
  checker.program(ast, [{ shape: TEMPLATE_CONTEXT_SHAPE, inEach: false }]);
  if (checker.problems.length) return checker.problems;
  try {
    // Renders once against a notification with every field set: compiles, and runs the helpers.
    compile(source, mode)(contextFor(sampleNotification(), mode));
  } catch (error) {
    return [(error as Error).message];
  }
  return [];
}

function compile(source: string, mode: TemplateMode): Compiled {
  const key = `${mode}\u0000${source}`;
  let template = compiled.get(key);
  if (!template) {
    const delegate = engine.compile<TemplateContext>(source, {
      noEscape: mode !== 'html',
      knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true])),
      knownHelpersOnly: true,
      // The static check already refused unknown paths; a label a notification lacks renders empty.
      strict: false,
    });
    template = (context) => delegate(context);
    if (compiled.size >= COMPILED_LIMIT) compiled.clear();
    compiled.set(key, template);
  }
  return template;
}

function contextFor(notification: Notification, mode: TemplateMode): TemplateContext {
  const context = templateContext(notification);
  return mode === 'slack' ? mapContextStrings(context, escapeSlack) : context;
}

export interface RenderOptions {
  /** Longest output, in characters; longer output is cut with an ellipsis. */
  maxLength?: number;
  /** Collapses line breaks and runs of spaces (titles, subjects, headers). */
  singleLine?: boolean;
}

/**
 * Renders a template that passed `templateProblems`. Throws TemplateError if it cannot (it should
 * not: helpers are total), which a delivery treats as permanent.
 */
export function renderTemplate(
  source: string,
  mode: TemplateMode,
  notification: Notification,
  options: RenderOptions = {},
): string {
  let text: string;
  try {
    text = compile(source, mode)(contextFor(notification, mode));
  } catch (error) {
    throw new TemplateError(`template could not be rendered: ${(error as Error).message}`);
  }
  if (options.singleLine) text = text.replace(/\s+/g, ' ').trim();
  return options.maxLength ? truncate(text, options.maxLength) : text;
}

/** Longest template source accepted in configuration. */
export const TEMPLATE_SOURCE_LIMIT = 20_000;

/** class-validator: the property is a usable template in this mode; the message says what is wrong. */
export function IsTemplate(mode: TemplateMode, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTemplate',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          value.length <= TEMPLATE_SOURCE_LIMIT &&
          templateProblems(value, mode).length === 0,
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          const property = args?.property ?? 'template';
          if (typeof value !== 'string') return `${property} must be a template string`;
          if (value.length > TEMPLATE_SOURCE_LIMIT) {
            return `${property} must be at most ${TEMPLATE_SOURCE_LIMIT} characters`;
          }
          return `${property} is not a valid template: ${templateProblems(value, mode).join('; ')}`;
        },
      },
    },
    options,
  );
}

import {
  CATEGORIES,
  Category,
  IMPACTS,
  Impact,
  LIMITS,
  normalizeSeverity,
  PRIORITIES,
  Priority,
  SEVERITY_RANK,
} from '@vigil/contracts';
import { CoreField, FieldRef, fieldText } from './fields';
import type { WorkingEvent } from './working-event';

export type Reader = (event: WorkingEvent) => unknown;
/** Writes text into a field, refusing (and noting) what the contract would not accept. */
export type Writer = (event: WorkingEvent, value: string) => void;

// Bound once at load: another module's exports are reached through getters in compiled code.
const RANK = SEVERITY_RANK;

export function compileReader(field: FieldRef): Reader {
  switch (field.kind) {
    case 'core':
      return coreReader(field.name);
    case 'label': {
      const key = field.key;
      return (event) => event.label(key);
    }
    case 'attribute': {
      const path = field.path;
      return (event) => attributeAt(event.attributes, path);
    }
  }
}

function coreReader(name: CoreField): Reader {
  switch (name) {
    case 'source':
      return (e) => e.source;
    case 'node':
      return (e) => e.node;
    case 'type':
      return (e) => e.type;
    case 'summary':
      return (e) => e.summary;
    case 'severity':
      return (e) => e.severity;
    case 'severity_rank':
      return (e) => RANK[e.severity];
    case 'category':
      return (e) => e.category;
    case 'service':
      return (e) => e.service;
    case 'environment':
      return (e) => e.environment;
    case 'team':
      return (e) => e.team;
    case 'owner':
      return (e) => e.owner;
    case 'impact':
      return (e) => e.impact;
    case 'priority':
      return (e) => e.currentPriority();
    case 'fingerprint':
      return (e) => e.fingerprint;
    case 'group':
      return (e) => e.group;
  }
}

function attributeAt(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** The text a selector or template sees: numbers as digits, objects as JSON, absent as undefined. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  // Objects, and anything else JSON could not have produced, are shown as JSON.
  return JSON.stringify(value) ?? undefined;
}

function clip(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}

/** Fields an event cannot be without: an empty result keeps what was there. */
function requiredText(
  name: string,
  limit: number,
  get: (e: WorkingEvent) => string,
  put: (e: WorkingEvent, v: string) => void,
): Writer {
  return (event, value) => {
    if (value === '') {
      event.note(`${name}: an empty value was ignored (${name} is required)`);
      return;
    }
    const next = clip(value, limit);
    const previous = get(event);
    if (next !== previous) {
      put(event, next);
      event.changed(name, previous, next);
    }
  };
}

/** Optional fields: an empty result removes the field. */
function optionalText(
  name: string,
  limit: number,
  get: (e: WorkingEvent) => string | undefined,
  put: (e: WorkingEvent, v: string | undefined) => void,
): Writer {
  return (event, value) => {
    const next = value === '' ? undefined : clip(value, limit);
    const previous = get(event);
    if (next !== previous) {
      put(event, next);
      event.changed(name, previous, next);
    }
  };
}

function enumerated<T extends string>(
  name: string,
  allowed: readonly T[],
  get: (e: WorkingEvent) => T | undefined,
  put: (e: WorkingEvent, v: T) => void,
): Writer {
  return (event, value) => {
    if (!(allowed as readonly string[]).includes(value)) {
      event.note(`${name}: "${value}" is not one of ${allowed.join(', ')}; kept ${String(get(event))}`);
      return;
    }
    const previous = get(event);
    if (previous !== value) {
      put(event, value as T);
      event.changed(name, previous, value);
    }
  };
}

export function compileWriter(field: FieldRef): Writer {
  switch (field.kind) {
    case 'core':
      return coreWriter(field.name);
    case 'label': {
      const key = field.key;
      return (event, value) => writeLabel(event, key, value);
    }
    case 'attribute': {
      const path = field.path;
      const name = fieldText(field);
      return (event, value) => {
        const previous = attributeAt(event.attributes, path);
        if (previous === value) return;
        let node = event.ownAttributes() as Record<string, unknown>;
        for (const segment of path.slice(0, -1)) {
          const child = Object.hasOwn(node, segment) ? node[segment] : undefined;
          if (typeof child !== 'object' || child === null || Array.isArray(child)) {
            const fresh: Record<string, unknown> = {};
            Object.defineProperty(node, segment, {
              value: fresh,
              enumerable: true,
              writable: true,
              configurable: true,
            });
            node = fresh;
          } else {
            node = child as Record<string, unknown>;
          }
        }
        Object.defineProperty(node, path[path.length - 1], {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        event.changed(name, previous, value);
      };
    }
  }
}

export function writeLabel(event: WorkingEvent, key: string, value: string): void {
  const previous = event.label(key);
  const next = clip(value, LIMITS.labelValueLength);
  if (previous === next) return;
  if (previous === undefined && Object.keys(event.labels).length >= LIMITS.labelCount) {
    event.note(`labels.${key}: not added, the event already has ${LIMITS.labelCount} labels`);
    return;
  }
  event.ownLabels()[key] = next;
  event.changed(`labels.${key}`, previous, next);
}

export function removeLabel(event: WorkingEvent, key: string): void {
  const previous = event.label(key);
  if (previous === undefined) return;
  delete event.ownLabels()[key];
  event.changed(`labels.${key}`, previous, undefined);
}

function coreWriter(name: CoreField): Writer {
  switch (name) {
    case 'source':
    case 'severity_rank':
      // Refused at parse time; a writer that does nothing keeps the switch exhaustive.
      return () => undefined;
    case 'node':
      return requiredText(
        name,
        LIMITS.nodeLength,
        (e) => e.node,
        (e, v) => (e.node = v),
      );
    case 'type':
      return requiredText(
        name,
        LIMITS.typeLength,
        (e) => e.type,
        (e, v) => (e.type = v),
      );
    case 'fingerprint':
      return requiredText(
        name,
        LIMITS.fingerprintLength,
        (e) => e.fingerprint,
        (e, v) => (e.fingerprint = v),
      );
    case 'summary':
      return (event, value) => {
        const next = clip(value, LIMITS.summaryLength);
        if (next !== event.summary) {
          event.changed(name, event.summary, next);
          event.summary = next;
        }
      };
    case 'severity':
      return (event, value) => {
        const next = normalizeSeverity(value);
        if (next === undefined) {
          event.note(`severity: "${value}" is not a severity; kept ${event.severity}`);
        } else if (next !== event.severity) {
          event.changed(name, event.severity, next);
          event.severity = next;
        }
      };
    case 'category':
      return enumerated<Category>(
        name,
        CATEGORIES,
        (e) => e.category,
        (e, v) => (e.category = v),
      );
    case 'impact':
      return enumerated<Impact>(
        name,
        IMPACTS,
        (e) => e.impact,
        (e, v) => (e.impact = v),
      );
    case 'priority':
      return enumerated<Priority>(
        name,
        PRIORITIES,
        (e) => e.priority,
        (e, v) => (e.priority = v),
      );
    case 'service':
      return optionalText(
        name,
        LIMITS.contextLength,
        (e) => e.service,
        (e, v) => (e.service = v),
      );
    case 'environment':
      return optionalText(
        name,
        LIMITS.contextLength,
        (e) => e.environment,
        (e, v) => (e.environment = v),
      );
    case 'team':
      return optionalText(
        name,
        LIMITS.contextLength,
        (e) => e.team,
        (e, v) => (e.team = v),
      );
    case 'owner':
      return optionalText(
        name,
        LIMITS.contextLength,
        (e) => e.owner,
        (e, v) => (e.owner = v),
      );
    case 'group':
      return optionalText(
        name,
        Number.MAX_SAFE_INTEGER,
        (e) => e.group,
        (e, v) => (e.group = v),
      );
  }
}

import { FieldError, NotifierObjectKind, NOTIFIER_ID_PATTERN, ROUTING_TREE_ID } from '@vigil/contracts';
import { parseEscalationPolicy } from '../domain/escalation';
import { parseRoutingTree, treeReferences } from '../domain/routing';
import { parseSchedule } from '../domain/schedules';
import { isEmail } from 'class-validator';
import { IANAZone } from 'luxon';
import { CHANNEL_KINDS, ChannelConfigError, ChannelKind } from '../channels';
import type { ChannelConfigParser } from '../channels';
import {
  buildSnapshot,
  ChannelConfig,
  ContactMethod,
  DEFAULT_RATE_LIMITS,
  emailChannelFor,
  NotifierConfigSnapshot,
  ParsedObject,
  snapshotObjects,
  UserConfig,
} from './config-snapshot';

export const NOTIFIER_OBJECT_LIMITS = {
  nameLength: 200,
  contactMethods: 20,
  addressLength: 254,
  minPerMinute: 1,
  maxPerMinute: 6000,
} as const;

/** How each kind is called in messages ("no escalation policy "db""). */
export const KIND_NAMES: Record<NotifierObjectKind, string> = {
  user: 'user',
  channel: 'channel',
  schedule: 'schedule',
  escalation_policy: 'escalation policy',
  routing_tree: 'routing tree',
};

type Result<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFields(
  input: Record<string, unknown>,
  allowed: readonly string[],
  path: string,
  errors: FieldError[],
): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) {
      errors.push({ field: at(path, key), reason: `unknown field (allowed: ${allowed.join(', ')})` });
    }
  }
}

const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** An adapter's field errors, moved under `path` (`config.url`, `contactMethods[1].config.url`). */
export function prefixErrors(path: string, errors: readonly FieldError[]): FieldError[] {
  return errors.map((error) => ({
    field: error.field === '' || error.field === '$' ? path : `${path}.${error.field}`,
    reason: error.reason,
  }));
}

function parseAdapterConfig(
  parse: ChannelConfigParser,
  kind: ChannelKind,
  input: unknown,
  path: string,
  errors: FieldError[],
): object | undefined {
  if (!isRecord(input)) {
    errors.push({ field: path, reason: `is required: the ${kind} channel's configuration object` });
    return undefined;
  }
  try {
    return parse(kind, input);
  } catch (error) {
    if (!(error instanceof ChannelConfigError)) throw error;
    errors.push(...prefixErrors(path, error.errors));
    return undefined;
  }
}

function parseName(value: unknown, errors: FieldError[]): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push({ field: 'name', reason: 'is required: a non-empty string' });
    return undefined;
  }
  if (value.length > NOTIFIER_OBJECT_LIMITS.nameLength) {
    errors.push({ field: 'name', reason: `must be at most ${NOTIFIER_OBJECT_LIMITS.nameLength} characters` });
    return undefined;
  }
  return value;
}

const idReason = (value: unknown) =>
  `${show(value)} is not an id (1-63 lower-case letters, digits, "-" or "_", starting with a letter or digit)`;

function parseContactMethod(
  input: unknown,
  path: string,
  parse: ChannelConfigParser,
  errors: FieldError[],
): ContactMethod | undefined {
  if (!isRecord(input)) {
    errors.push({ field: path, reason: 'must be an object {id, type, …}' });
    return undefined;
  }
  const before = errors.length;
  const { id, type } = input;
  if (typeof id !== 'string' || !NOTIFIER_ID_PATTERN.test(id)) {
    errors.push({ field: `${path}.id`, reason: idReason(id) });
  }
  if (!CHANNEL_KINDS.includes(type as ChannelKind)) {
    errors.push({ field: `${path}.type`, reason: `${show(type)} is not one of ${CHANNEL_KINDS.join(', ')}` });
    return undefined;
  }
  if (type === 'email') {
    unknownFields(input, ['id', 'type', 'address', 'channel'], path, errors);
    const { address, channel } = input;
    if (
      typeof address !== 'string' ||
      address.length > NOTIFIER_OBJECT_LIMITS.addressLength ||
      !isEmail(address)
    ) {
      errors.push({ field: `${path}.address`, reason: `${show(address)} is not an email address` });
    }
    if (channel !== undefined && (typeof channel !== 'string' || !NOTIFIER_ID_PATTERN.test(channel))) {
      errors.push({ field: `${path}.channel`, reason: idReason(channel) });
    }
    if (errors.length > before) return undefined;
    return {
      id: id as string,
      type: 'email',
      address: address as string,
      ...(channel !== undefined && { channel: channel as string }),
    };
  }
  unknownFields(input, ['id', 'type', 'config'], path, errors);
  const config = parseAdapterConfig(parse, type as ChannelKind, input.config, `${path}.config`, errors);
  if (errors.length > before || !config) return undefined;
  return { id: id as string, type: type as Exclude<ChannelKind, 'email'>, config };
}

/** A `user` body: `{name, timeZone?, contactMethods?}`. */
export function parseUser(input: unknown, parse: ChannelConfigParser): Result<UserConfig> {
  if (!isRecord(input)) return { ok: false, errors: [{ field: '', reason: 'a user must be an object' }] };
  const errors: FieldError[] = [];
  unknownFields(input, ['name', 'timeZone', 'contactMethods'], '', errors);
  const name = parseName(input.name, errors);
  const { timeZone } = input;
  if (timeZone !== undefined && (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone))) {
    errors.push({
      field: 'timeZone',
      reason: `${show(timeZone)} is not an IANA time zone such as Europe/Berlin`,
    });
  }
  const contactMethods: ContactMethod[] = [];
  const list = input.contactMethods ?? [];
  if (!Array.isArray(list)) {
    errors.push({ field: 'contactMethods', reason: 'must be a list of contact methods' });
  } else if (list.length > NOTIFIER_OBJECT_LIMITS.contactMethods) {
    errors.push({
      field: 'contactMethods',
      reason: `has ${list.length} contact methods; at most ${NOTIFIER_OBJECT_LIMITS.contactMethods}`,
    });
  } else {
    const ids = new Set<unknown>();
    list.forEach((item: unknown, index) => {
      const path = `contactMethods[${index}]`;
      const contact = parseContactMethod(item, path, parse, errors);
      const id = isRecord(item) ? item.id : undefined;
      if (typeof id === 'string' && ids.has(id)) {
        errors.push({ field: `${path}.id`, reason: `another contact method has the id ${show(id)}` });
      }
      ids.add(id);
      if (contact) contactMethods.push(contact);
    });
  }
  if (errors.length > 0 || name === undefined) return { ok: false, errors };
  return {
    ok: true,
    value: { name, ...(typeof timeZone === 'string' && { timeZone }), contactMethods },
  };
}

/** A `channel` body: `{type, config, rateLimit?: {perMinute}}`. */
export function parseChannel(input: unknown, parse: ChannelConfigParser): Result<ChannelConfig> {
  if (!isRecord(input)) return { ok: false, errors: [{ field: '', reason: 'a channel must be an object' }] };
  const errors: FieldError[] = [];
  unknownFields(input, ['type', 'config', 'rateLimit'], '', errors);
  const { type, rateLimit } = input;
  let config: object | undefined;
  if (!CHANNEL_KINDS.includes(type as ChannelKind)) {
    errors.push({ field: 'type', reason: `${show(type)} is not one of ${CHANNEL_KINDS.join(', ')}` });
  } else {
    config = parseAdapterConfig(parse, type as ChannelKind, input.config, 'config', errors);
  }
  let perMinute = CHANNEL_KINDS.includes(type as ChannelKind)
    ? DEFAULT_RATE_LIMITS[type as ChannelKind]
    : null;
  if (rateLimit !== undefined) {
    if (!isRecord(rateLimit)) {
      errors.push({ field: 'rateLimit', reason: 'must be an object {perMinute}' });
    } else {
      unknownFields(rateLimit, ['perMinute'], 'rateLimit', errors);
      const { minPerMinute, maxPerMinute } = NOTIFIER_OBJECT_LIMITS;
      const value = rateLimit.perMinute;
      if (!Number.isInteger(value) || (value as number) < minPerMinute || (value as number) > maxPerMinute) {
        errors.push({
          field: 'rateLimit.perMinute',
          reason: `${show(value)} is not a whole number from ${minPerMinute} to ${maxPerMinute}`,
        });
      } else {
        perMinute = value as number;
      }
    }
  }
  if (errors.length > 0 || !config) return { ok: false, errors };
  return { ok: true, value: { type: type as ChannelKind, config, rateLimitPerMinute: perMinute } };
}

/**
 * Checks one object's body and parses it, naming the field of every fault (`config.url`,
 * `levels[1].targets[0].id`). References to other objects are not checked here (see
 * `referenceProblems`): this needs nothing but the body.
 */
export function parseNotifierObject(
  kind: NotifierObjectKind,
  id: string,
  body: unknown,
  parse: ChannelConfigParser,
): Result<ParsedObject> {
  switch (kind) {
    case 'user': {
      const user = parseUser(body, parse);
      return user.ok ? { ok: true, value: { kind, id, value: user.value } } : user;
    }
    case 'channel': {
      const channel = parseChannel(body, parse);
      return channel.ok ? { ok: true, value: { kind, id, value: channel.value } } : channel;
    }
    case 'schedule': {
      const schedule = parseSchedule(body);
      return schedule.ok ? { ok: true, value: { kind, id, value: schedule.schedule } } : schedule;
    }
    case 'escalation_policy': {
      const policy = parseEscalationPolicy(body);
      return policy.ok ? { ok: true, value: { kind, id, value: policy.policy } } : policy;
    }
    case 'routing_tree': {
      if (id !== ROUTING_TREE_ID) {
        return {
          ok: false,
          errors: [{ field: 'id', reason: `there is one routing tree and its id is "${ROUTING_TREE_ID}"` }],
        };
      }
      const tree = parseRoutingTree(body);
      if (!tree.ok) return tree;
      return { ok: true, value: { kind, id, value: tree.tree, body: body as Record<string, unknown> } };
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** Where a routing tree body names policies: `policy`, `routes[0].policy`, `routes[0].routes[2].policy`. */
function treePolicyFields(node: unknown, path: string, found: { field: string; id: string }[]): void {
  if (!isRecord(node)) return;
  if (typeof node.policy === 'string') found.push({ field: at(path, 'policy'), id: node.policy });
  if (Array.isArray(node.routes)) {
    node.routes.forEach((child: unknown, index) =>
      treePolicyFields(child, at(path, `routes[${index}]`), found),
    );
  }
}

/**
 * What one object names that does not exist in `config` (or is of the wrong type), by field:
 * a policy's targets, a schedule's users, the tree's policies, a user's email channel.
 */
export function referenceProblems(object: ParsedObject, config: NotifierConfigSnapshot): FieldError[] {
  const problems: FieldError[] = [];
  switch (object.kind) {
    case 'user':
      object.value.contactMethods.forEach((contact, index) => {
        if (contact.type !== 'email') return;
        const found = emailChannelFor(config, contact);
        if ('problem' in found)
          problems.push({ field: `contactMethods[${index}].channel`, reason: found.problem });
      });
      break;
    case 'schedule':
      object.value.layers.forEach((layer, i) =>
        layer.users.forEach((user, j) => {
          if (!config.users.has(user))
            problems.push({ field: `layers[${i}].users[${j}]`, reason: `no user "${user}"` });
        }),
      );
      object.value.overrides.forEach((override, k) => {
        if (!config.users.has(override.user)) {
          problems.push({ field: `overrides[${k}].user`, reason: `no user "${override.user}"` });
        }
      });
      break;
    case 'escalation_policy':
      object.value.levels.forEach((level, i) =>
        level.targets.forEach((target, j) => {
          const known =
            target.type === 'user'
              ? config.users.has(target.id)
              : target.type === 'schedule'
                ? config.schedules.has(target.id)
                : config.channels.has(target.id);
          if (!known) {
            problems.push({
              field: `levels[${i}].targets[${j}].id`,
              reason: `no ${target.type} "${target.id}"`,
            });
          }
        }),
      );
      break;
    case 'routing_tree': {
      const located: { field: string; id: string }[] = [];
      treePolicyFields(object.body, '', located);
      for (const { field, id } of located) {
        if (!config.policies.has(id)) problems.push({ field, reason: `no escalation policy "${id}"` });
      }
      // Whatever the tree names that the walk did not find (a shape it does not know) still counts.
      for (const id of treeReferences(object.value).policies) {
        if (!config.policies.has(id) && !located.some((place) => place.id === id)) {
          problems.push({ field: 'policy', reason: `no escalation policy "${id}"` });
        }
      }
      break;
    }
    case 'channel':
      break;
  }
  return problems;
}

export interface WriteCheck {
  /** The written object's own dangling references: the request is invalid. */
  invalid: FieldError[];
  /** Other objects the write would leave pointing at nothing: the write conflicts with them. */
  broken: { kind: NotifierObjectKind; id: string; problems: FieldError[] }[];
  after: NotifierConfigSnapshot;
}

const key = (kind: NotifierObjectKind, id: string) => `${kind}/${id}`;
const problemKey = (problem: FieldError) => `${problem.field}\u0000${problem.reason}`;

/**
 * Whether replacing (`object` given) or deleting (`object` absent) `kind/id` keeps the
 * configuration's references whole. Problems other objects already had are not the write's
 * fault (an object saved before a check existed), so only new ones count against it.
 */
export function checkWrite(
  before: NotifierConfigSnapshot,
  kind: NotifierObjectKind,
  id: string,
  object?: ParsedObject,
): WriteCheck {
  const others = snapshotObjects(before).filter((other) => key(other.kind, other.id) !== key(kind, id));
  const after = buildSnapshot(before.version, object ? [...others, object] : others);
  const broken: WriteCheck['broken'] = [];
  for (const other of others) {
    const known = new Set(referenceProblems(other, before).map(problemKey));
    const fresh = referenceProblems(other, after).filter((problem) => !known.has(problemKey(problem)));
    if (fresh.length) broken.push({ kind: other.kind, id: other.id, problems: fresh });
  }
  return { invalid: object ? referenceProblems(object, after) : [], broken, after };
}

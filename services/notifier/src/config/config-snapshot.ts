import type { NotifierObjectKind } from '@vigil/contracts';
import type { EscalationPolicy } from '../domain/escalation';
import type { RoutingTree } from '../domain/routing';
import type { Schedule } from '../domain/schedules';
import type { ChannelKind } from '../channels';
import { FeedTarget, isFeedTarget } from './feed-targets';

/**
 * A channel kind's sends per minute when its `rateLimit` says nothing (and for users' own contact
 * methods): the receiver's own limit where it has one — Slack allows one message a second per
 * webhook, PagerDuty's Events API 120 events a minute per integration key; Teams and mail servers
 * throttle too, so they keep one a second — and none (null) for a generic webhook, which is the
 * operator's own system: a storm reaches it at full speed, as Alertmanager would send it.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ChannelKind, number | null>> = {
  webhook: null,
  slack: 60,
  teams: 60,
  email: 60,
  pagerduty: 120,
};

/** A user's email address, sent through an email channel's SMTP server and templates. */
export interface EmailContactMethod {
  id: string;
  type: 'email';
  address: string;
  /** The email channel to send through; absent: the only email channel there is. */
  channel?: string;
}

/** A user's own webhook, Slack, Teams or PagerDuty target; `config` is parsed by that adapter. */
export interface DirectContactMethod {
  id: string;
  type: Exclude<ChannelKind, 'email'>;
  config: object;
}

export type ContactMethod = EmailContactMethod | DirectContactMethod;

export interface UserConfig {
  name: string;
  timeZone?: string;
  contactMethods: ContactMethod[];
}

export interface ChannelConfig {
  type: ChannelKind;
  /** Parsed by the channel's adapter (defaults applied, templates checked): ready for `send`. */
  config: object;
  /** Sends per minute, bursts of a tenth of it; null: no limit. */
  rateLimitPerMinute: number | null;
}

/** One stored object, parsed. */
export type ParsedObject =
  | { kind: 'user'; id: string; value: UserConfig }
  | { kind: 'channel'; id: string; value: ChannelConfig }
  | { kind: 'schedule'; id: string; value: Schedule }
  | { kind: 'escalation_policy'; id: string; value: EscalationPolicy }
  | { kind: 'routing_tree'; id: string; value: RoutingTree; body: Record<string, unknown> };

/**
 * The notifier's configuration as one immutable value: every object parsed once, when it was
 * loaded, and the transition feed's URLs from the environment. `version` is the configuration
 * history's latest entry; replicas compare it to reload.
 */
export interface NotifierConfigSnapshot {
  readonly version: number;
  readonly users: ReadonlyMap<string, UserConfig>;
  readonly channels: ReadonlyMap<string, ChannelConfig>;
  readonly schedules: ReadonlyMap<string, Schedule>;
  readonly policies: ReadonlyMap<string, EscalationPolicy>;
  readonly tree?: RoutingTree;
  /** The routing tree's body as stored (reference checks name fields in it). */
  readonly treeBody?: Record<string, unknown>;
  /** The transition feed's receivers (`NOTIFIER_WEBHOOK_URLS`), by target name (`feed:<id>`). */
  readonly feeds: ReadonlyMap<string, FeedTarget>;
}

export function buildSnapshot(
  version: number,
  objects: Iterable<ParsedObject>,
  feeds: readonly FeedTarget[] = [],
): NotifierConfigSnapshot {
  const users = new Map<string, UserConfig>();
  const channels = new Map<string, ChannelConfig>();
  const schedules = new Map<string, Schedule>();
  const policies = new Map<string, EscalationPolicy>();
  let tree: RoutingTree | undefined;
  let treeBody: Record<string, unknown> | undefined;
  for (const object of objects) {
    switch (object.kind) {
      case 'user':
        users.set(object.id, object.value);
        break;
      case 'channel':
        channels.set(object.id, object.value);
        break;
      case 'schedule':
        schedules.set(object.id, object.value);
        break;
      case 'escalation_policy':
        policies.set(object.id, object.value);
        break;
      case 'routing_tree':
        tree = object.value;
        treeBody = object.body;
        break;
    }
  }
  return {
    version,
    users,
    channels,
    schedules,
    policies,
    ...(tree && { tree, treeBody }),
    feeds: new Map(feeds.map((feed) => [feed.target, feed])),
  };
}

/** The objects of a snapshot, back as a list (to rebuild it with one object replaced or removed). */
export function snapshotObjects(snapshot: NotifierConfigSnapshot): ParsedObject[] {
  const objects: ParsedObject[] = [];
  for (const [id, value] of snapshot.users) objects.push({ kind: 'user', id, value });
  for (const [id, value] of snapshot.channels) objects.push({ kind: 'channel', id, value });
  for (const [id, value] of snapshot.schedules) objects.push({ kind: 'schedule', id, value });
  for (const [id, value] of snapshot.policies) objects.push({ kind: 'escalation_policy', id, value });
  if (snapshot.tree && snapshot.treeBody) {
    objects.push({ kind: 'routing_tree', id: 'default', value: snapshot.tree, body: snapshot.treeBody });
  }
  return objects;
}

export function hasObject(snapshot: NotifierConfigSnapshot, kind: NotifierObjectKind, id: string): boolean {
  switch (kind) {
    case 'user':
      return snapshot.users.has(id);
    case 'channel':
      return snapshot.channels.has(id);
    case 'schedule':
      return snapshot.schedules.has(id);
    case 'escalation_policy':
      return snapshot.policies.has(id);
    case 'routing_tree':
      return snapshot.tree !== undefined;
  }
}

export const emptySnapshot = (): NotifierConfigSnapshot => buildSnapshot(0, []);

// ---------------------------------------------------------------------------------------------

/** Where one copy of a notification goes, with everything its adapter needs to send it. */
export interface ContactTarget {
  /** `channel:<id>`, `user:<id>/<contact method id>` or `feed:<id>`: stable, for logs and the delivery log. */
  target: string;
  channelType: ChannelKind;
  /**
   * The adapter's parsed configuration. For a user's email contact: the email channel's, with `to`
   * set to the user's address.
   */
  config: object;
  recipient?: { name?: string; address?: string };
  /** Sends per minute, bursts of a tenth of it; null: no limit. */
  rateLimitPerMinute: number | null;
}

/**
 * The email channel an email contact method sends through: the one it names, else the only one.
 * A reason instead when there is none to use.
 */
export function emailChannelFor(
  snapshot: NotifierConfigSnapshot,
  contact: EmailContactMethod,
): { id: string; channel: ChannelConfig } | { problem: string } {
  if (contact.channel !== undefined) {
    const channel = snapshot.channels.get(contact.channel);
    if (!channel) return { problem: `no channel "${contact.channel}"` };
    if (channel.type !== 'email') {
      return { problem: `channel "${contact.channel}" is a ${channel.type} channel, not an email channel` };
    }
    return { id: contact.channel, channel };
  }
  const emails = [...snapshot.channels].filter(([, channel]) => channel.type === 'email');
  if (emails.length === 1) return { id: emails[0][0], channel: emails[0][1] };
  if (emails.length === 0) return { problem: 'is required: there is no email channel to send through' };
  return {
    problem: `is required: there are ${emails.length} email channels (${emails.map(([id]) => id).join(', ')})`,
  };
}

/** A destination that cannot be used, and why. */
export interface ContactProblem {
  /** As `ContactTarget.target`; `user:<id>` or `channel:<id>` for an unknown target. */
  target: string;
  channelType?: ChannelKind;
  reason: string;
}

/**
 * Every destination of a policy target of type `user` or `channel`: a channel is one, a user one
 * per contact method. An unknown target gives none, as does a contact method that cannot be
 * used (its email channel is gone); `problems`, when given, collects why
 * (`user:alice/work: no channel "mail"`), for the caller to log.
 */
export function contactsFor(
  snapshot: NotifierConfigSnapshot,
  target: { type: 'user' | 'channel'; id: string },
  problems?: string[],
): ContactTarget[] {
  const resolved = resolveContacts(snapshot, target);
  for (const problem of resolved.problems) {
    problems?.push(problem.target.includes('/') ? `${problem.target}: ${problem.reason}` : problem.reason);
  }
  return resolved.contacts;
}

/** `contactsFor`, with each unusable destination named. */
export function resolveContacts(
  snapshot: NotifierConfigSnapshot,
  target: { type: 'user' | 'channel'; id: string },
): { contacts: ContactTarget[]; problems: ContactProblem[] } {
  const problems: ContactProblem[] = [];
  if (target.type === 'channel') {
    const channel = snapshot.channels.get(target.id);
    if (!channel) {
      problems.push({ target: `channel:${target.id}`, reason: `no channel "${target.id}"` });
      return { contacts: [], problems };
    }
    const contact: ContactTarget = {
      target: `channel:${target.id}`,
      channelType: channel.type,
      config: channel.config,
      rateLimitPerMinute: channel.rateLimitPerMinute,
    };
    return { contacts: [contact], problems };
  }
  const user = snapshot.users.get(target.id);
  if (!user) {
    problems.push({ target: `user:${target.id}`, reason: `no user "${target.id}"` });
    return { contacts: [], problems };
  }
  const contacts: ContactTarget[] = [];
  for (const contact of user.contactMethods) {
    const name = `user:${target.id}/${contact.id}`;
    if (contact.type !== 'email') {
      contacts.push({
        target: name,
        channelType: contact.type,
        config: contact.config,
        recipient: { name: user.name },
        rateLimitPerMinute: DEFAULT_RATE_LIMITS[contact.type],
      });
      continue;
    }
    const found = emailChannelFor(snapshot, contact);
    if ('problem' in found) {
      problems.push({
        target: name,
        channelType: 'email',
        reason: `${contact.channel === undefined ? 'channel ' : ''}${found.problem}`,
      });
      continue;
    }
    contacts.push({
      target: name,
      channelType: 'email',
      config: { ...found.channel.config, to: [contact.address] },
      recipient: { name: user.name, address: contact.address },
      // The SMTP server is the channel's, so its limit covers every address sent through it.
      rateLimitPerMinute: found.channel.rateLimitPerMinute,
    });
  }
  return { contacts, problems };
}

/** `user:<id>/<contact>`, `channel:<id>` or `feed:<id>` back to where it sends now. */
export function contactByTarget(snapshot: NotifierConfigSnapshot, target: string): ContactTarget | undefined {
  if (isFeedTarget(target)) return snapshot.feeds.get(target);
  const match = /^(user|channel):([^/]+)/.exec(target);
  if (!match) return undefined;
  return contactsFor(snapshot, { type: match[1] as 'user' | 'channel', id: match[2] }).find(
    (c) => c.target === target,
  );
}

import type { NotificationKind } from '@vigil/contracts';
import { signActionLink } from '../channels';
import type { Notification, NotificationLinks, NotificationSubject } from '../channels';
import type { ContactTarget } from '../config';
import type { PageMembers } from './page-members';
import type { LinkSettings } from './paging.settings';

export interface PageView {
  id: string;
  status: string;
  title: string;
  severity: string;
  groupLabels: Record<string, string>;
}

/**
 * What a page is about: its only member, or for a group, the group (worst severity, counts, the
 * labels it was grouped by) with the first firing member's details.
 */
export function pageSubject(page: PageView, members: PageMembers): NotificationSubject {
  const lead = members.lead();
  if (!lead) throw new Error(`page ${page.id} has no members to notify of`);
  if (members.size === 1) return lead.snapshot;
  return {
    ...lead.snapshot,
    id: page.id,
    title: page.title,
    summary: members.first.map((m) => `${m.state}: ${m.snapshot.title}`).join('\n'),
    severity: members.worstLive() ?? members.worstOfAll() ?? lead.snapshot.severity,
    labels: Object.keys(page.groupLabels).length ? page.groupLabels : lead.snapshot.labels,
    counts: { alerts: members.size, firing: members.countOf('firing') },
  };
}

export function pageLinks(page: PageView, settings: LinkSettings, now: Date): NotificationLinks {
  const links: NotificationLinks = {};
  if (settings.consoleUrl) links.console = `${settings.consoleUrl.replace(/\/$/, '')}/pages/${page.id}`;
  if (!settings.publicUrl || !settings.secrets.length) return links;
  const base = `${settings.publicUrl.replace(/\/$/, '')}/actions/`;
  const expiresAt = new Date(now.getTime() + settings.ttlMs);
  if (page.status === 'triggered') {
    links.acknowledge =
      base +
      signActionLink(
        { action: 'acknowledge', targetKind: 'page', targetId: page.id, expiresAt },
        settings.secrets,
      );
  }
  if (page.status !== 'resolved') {
    links.resolve =
      base +
      signActionLink(
        { action: 'resolve', targetKind: 'page', targetId: page.id, expiresAt },
        settings.secrets,
      );
  }
  return links;
}

export function buildNotification(input: {
  id: string;
  kind: NotificationKind;
  subject: NotificationSubject;
  links: NotificationLinks;
  contact: ContactTarget;
  now: Date;
  actor?: string;
  escalation?: { level: number; policy?: string };
}): Notification {
  return {
    id: input.id,
    kind: input.kind,
    createdAt: input.now.toISOString(),
    subject: input.subject,
    links: input.links,
    ...(input.contact.recipient ? { recipient: input.contact.recipient } : {}),
    ...(input.actor ? { actor: input.actor } : {}),
    ...(input.escalation ? { escalation: input.escalation } : {}),
  };
}

/** One notification = one page episode, step and target; the delivery log is unique on it. */
export function deliveryKey(
  pageId: string,
  episode: number,
  step: { kind: string; round: number; level: number; seq: number },
  target: string,
): string {
  return `page:${pageId}:${episode}:${step.kind}:${step.round}.${step.level}.${step.seq}:${target}`;
}

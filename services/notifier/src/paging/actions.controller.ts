import { Controller, Get, HttpCode, Inject, Logger, Param, Post, Res } from '@nestjs/common';
import { RpcSubjects } from '@vigil/contracts';
import { RpcClient } from '@vigil/messaging';
import { SqlPool } from '@vigil/persistence';
import type { FastifyReply } from 'fastify';
import { verifyActionLink } from '../channels';
import type { ActionLink, ActionLinkVerification } from '../channels';
import { PageRepository } from './page.repository';
import { PAGING_SETTINGS } from './paging.settings';
import type { PagingSettings } from './paging.settings';

/** Who the correlator records as having acted through a link. */
const LINK_ACTOR = 'notification-link';

function html(title: string, body: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`
  );
}

const REFUSALS = {
  expired: [410, 'This link has expired'],
  tampered: [403, 'This link is not valid'],
  malformed: [400, 'This link is not valid'],
} as const;

/** Answers a link that did not verify; true when it did not (and the answer is sent). */
function refused(
  verified: ActionLinkVerification,
  reply: FastifyReply,
): verified is Exclude<ActionLinkVerification, { ok: true }> {
  if (verified.ok) return false;
  const [status, title] = REFUSALS[verified.reason];
  void reply
    .status(status)
    .type('text/html')
    .send(html(title, `<p>Reason: ${verified.reason}.</p>`));
  return true;
}

/**
 * The acknowledge and resolve links in notifications. Opening a link (GET) only shows a button:
 * chat apps and mail scanners open links to preview them, and must not acknowledge anything.
 * Pressing it (POST) runs the correlator's commands on the page's alerts or incidents, with the
 * link's nonce as the command id, so a second press or a retried request changes nothing.
 */
@Controller('actions')
export class ActionsController {
  private readonly logger = new Logger(ActionsController.name);

  constructor(
    private readonly rpc: RpcClient,
    private readonly sql: SqlPool,
    private readonly pages: PageRepository,
    @Inject(PAGING_SETTINGS) private readonly settings: PagingSettings,
  ) {}

  @Get(':token')
  confirm(@Param('token') token: string, @Res() reply: FastifyReply): void {
    const verified = verifyActionLink(token, this.settings.links.secrets);
    if (refused(verified, reply)) return;
    const verb = verified.link.action === 'acknowledge' ? 'Acknowledge' : 'Resolve';
    void reply
      .status(200)
      .type('text/html')
      .send(
        html(
          `${verb} this page?`,
          `<form method="post" enctype="text/plain"><button type="submit">${verb}</button></form>`,
        ),
      );
  }

  @Post(':token')
  @HttpCode(200)
  async act(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const verified = verifyActionLink(token, this.settings.links.secrets);
    if (refused(verified, reply)) return;
    try {
      const done = await this.perform(verified.link);
      void reply.status(200).type('text/html').send(html(done, ''));
    } catch (error) {
      this.logger.error(`action link ${verified.link.commandId} failed: ${String(error)}`);
      void reply
        .status(503)
        .header('retry-after', '5')
        .type('text/html')
        .send(html('Could not do it right now', '<p>Please try again in a moment.</p>'));
    }
  }

  private async perform(link: ActionLink): Promise<string> {
    const subjects =
      link.targetKind === 'page'
        ? await this.pages.members(this.sql, [link.targetId])
        : [{ subject_kind: link.targetKind, subject_id: link.targetId, state: 'firing' }];
    const acting = subjects.filter((s) =>
      link.action === 'acknowledge' ? s.state === 'firing' : s.state !== 'resolved',
    );
    const base = { actor: LINK_ACTOR, commandId: link.commandId, reason: `${link.action} link` };
    await Promise.all(
      acting.map((s) => {
        if (s.subject_kind === 'alert') {
          const command = { ...base, alertId: s.subject_id };
          return link.action === 'acknowledge'
            ? this.rpc.request(RpcSubjects.AlertAcknowledge, command)
            : this.rpc.request(RpcSubjects.AlertResolve, command);
        }
        const command = { ...base, incidentId: s.subject_id };
        return link.action === 'acknowledge'
          ? this.rpc.request(RpcSubjects.IncidentAcknowledge, command)
          : this.rpc.request(RpcSubjects.IncidentResolve, command);
      }),
    );
    const verb = link.action === 'acknowledge' ? 'Acknowledged' : 'Resolved';
    return acting.length ? `${verb} (${acting.length})` : `Nothing left to ${link.action}`;
  }
}

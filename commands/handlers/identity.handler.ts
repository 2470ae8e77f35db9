import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { User } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import { formatMoney, money } from '../../src/domain/money';
import { linkIdentity, platformOfId } from '../../src/services/directory/link-identity';
import { tr } from '../command.messages';
import type { CommandContext, CommandDeps } from '../command-context';
import type { Actor } from '../contracts';
import type { LinkCommand } from '../parse/command.schema';
import { MessageView, Reply, message } from '../view/view';
import { roleList } from '../views/format';
import { refusalView } from '../views/message.view';

const reply = (view: MessageView): Reply => ({ visibility: 'ephemeral', view });

/** `/pay whoami`: who paydesk thinks you are, so a wrong link or a missing limit is visible at once. */
export function whoamiView(locale: Locale, user: User, actor: Actor): MessageView {
  const limits = Object.entries(user.approvalLimits).map(([c, v]) => formatMoney(money(v, c), locale));
  const linked = [user.slackUserId && `Slack ${user.slackUserId}`, user.feishuOpenId && `Feishu ${user.feishuOpenId}`].filter(Boolean);
  return message('info', tr(locale, 'WHOAMI.TITLE', { name: user.name, handle: user.handle }), [
    tr(locale, 'WHOAMI.ROLES', { roles: roleList(locale, user.roles).replaceAll(tr(locale, 'WORD.OR'), ', ') }),
    tr(locale, 'WHOAMI.LIMITS', { limits: limits.join(', ') || tr(locale, 'WHOAMI.NONE') }),
    tr(locale, 'WHOAMI.LINKED', { linked: linked.join(', ') || tr(locale, 'WHOAMI.NONE') }),
    tr(locale, 'WHOAMI.HERE', { platform: actor.platform, id: actor.platformUserId }),
  ]);
}

/** What an unlinked person reads: their own id and the exact command to hand their admin. */
export function unlinkedView(locale: Locale, actor: Actor): MessageView {
  if (actor.platform === 'web') return refusalView(locale, { code: 'AUTH.UNKNOWN_USER' });
  const zh = locale === 'zh-CN';
  const mention = actor.platform === 'slack' ? `<@${actor.platformUserId}>` : actor.platformUserId;
  const command = `${zh ? '/付款 绑定' : '/pay link'} ${mention} ${zh ? '<用户名>' : '<handle>'}`;
  const platform = actor.platform === 'slack' ? 'Slack' : tr(locale, 'WORD.FEISHU');
  return message('warning', tr(locale, 'AUTH.UNLINKED', { platform, id: actor.platformUserId, command }));
}

/**
 * The operator's way in: before any admin is linked on a platform, nobody there
 * could run `/pay link`. The process prints a one-time code in its start-up log;
 * `/pay link me <handle> <code>` links the speaker, and the code is then spent.
 */
export class SetupCode {
  private code: string | undefined = randomBytes(4).toString('hex');

  /** The command to print in the log, or undefined once spent. */
  command(platform: 'slack' | 'feishu'): string | undefined {
    return this.code && `${platform === 'feishu' ? '/付款 绑定 我' : '/pay link me'} <handle> ${this.code}`;
  }

  /** True once, for the right code; compared in constant time. */
  spend(given: string | undefined): boolean {
    if (!this.code || !given) return false;
    const a = Buffer.from(this.code);
    const b = Buffer.from(given.trim().toLowerCase());
    if (a.length !== b.length || !timingSafeEqual(a, b)) return false;
    this.code = undefined;
    return true;
  }
}

/** `/pay link` by an unlinked person: only `me <handle> <setup code>` can succeed. */
export async function handleUnlinkedLink(deps: CommandDeps, actor: Actor, cmd: LinkCommand, locale: Locale, setup: SetupCode): Promise<Reply> {
  if (actor.platform === 'web' || cmd.target !== 'me' || !setup.spend(cmd.code)) return reply(unlinkedView(locale, actor));
  const r = await linkIdentity(deps.db, { platform: actor.platform, platformUserId: actor.platformUserId, handle: cmd.handle, actor: 'system:setup-code' });
  if (!r.ok) return reply(refusalView(locale, r, 'link'));
  return reply(message('good', tr(locale, 'LINK.DONE', { name: r.value.name, handle: r.value.handle, id: actor.platformUserId })));
}

/** `/pay link <@someone> <handle>` by an admin (the service checks the role again inside its transaction). */
export async function handleLink(ctx: CommandContext, cmd: LinkCommand): Promise<Reply> {
  const { locale, actor } = ctx;
  if (!ctx.user.roles.includes('admin')) return reply(refusalView(locale, { code: 'LINK.ADMIN_ONLY' }));
  const id = cmd.target === 'me' ? actor.platformUserId : cmd.target;
  const platform = cmd.target === 'me' ? (actor.platform === 'web' ? undefined : actor.platform) : platformOfId(id);
  if (!platform) return reply(refusalView(locale, { code: 'COMMAND.LINK_BAD_TARGET', params: { target: id } }, 'link'));
  const r = await linkIdentity(ctx.deps.db, { platform, platformUserId: id, handle: cmd.handle, actor: `user:${ctx.user.handle}`, adminId: ctx.user.id, now: ctx.now() });
  if (!r.ok) return reply(refusalView(locale, r, 'link'));
  const code = r.value.previous ? 'LINK.DONE_REPLACED' : 'LINK.DONE';
  return reply(message('good', tr(locale, code, { name: r.value.name, handle: r.value.handle, id, previous: r.value.previous ?? '' })));
}

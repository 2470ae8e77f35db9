import type { User } from '../src/domain/directory';
import type { Locale } from '../src/domain/locale';
import { directoryQuery } from '../src/services/queries/directory.query';
import type { CommandContext, CommandDeps } from './command-context';
import type { ActionReply, ActionRequest, Actor, CommandHandler, TextRequest } from './contracts';
import { handleBalance } from './handlers/balance.handler';
import { handleCancel } from './handlers/cancel-payment.handler';
import { handleDecide } from './handlers/decide-payment.handler';
import { handleHelp } from './handlers/help.handler';
import { SetupCode, handleLink, handleUnlinkedLink, unlinkedView, whoamiView } from './handlers/identity.handler';
import { handleList } from './handlers/list-payments.handler';
import { handleNewPayment } from './handlers/new-payment.handler';
import { InFlightReceipts } from './handlers/interaction-receipts';
import { handlePaymentAction, isPaymentAction } from './handlers/payment-action.handler';
import { handleShow } from './handlers/show-payment.handler';
import { foreignSubcommand, parseCommand } from './parse/parse-command';
import type { Reply } from './view/view';
import { refusalView } from './views/message.view';
import { DEFAULT_TIME_ZONE } from './views/format';

export type { CommandDeps, ExtraActionHandler, ExtraCommandHandler } from './command-context';

// Someone typing Chinese should be refused in Chinese even before we know who they are.
const CJK = /[\u3400-\u9fff]/;

/**
 * The platform-neutral entry point: identifies the person, parses, dispatches
 * to one handler per command, and answers with a View in the person's language.
 * Unknown identities are refused before anything is read or written.
 */
export class CommandRouter implements CommandHandler {
  private readonly now: () => Date;
  private readonly timeZone: string;
  private readonly inFlight = new InFlightReceipts();
  /** The operator's one-time code for linking the first admin from chat (printed in the start-up log). */
  readonly setupCode = new SetupCode();

  constructor(private readonly deps: CommandDeps) {
    this.now = deps.clock ?? (() => new Date());
    this.timeZone = deps.timeZone ?? DEFAULT_TIME_ZONE;
  }

  /** Web identities are paydesk handles; Slack and Feishu ones are looked up by platform id. Deactivated people count as unknown. */
  async resolveUser(actor: Actor): Promise<User | undefined> {
    // An id with control characters is never a real identity (and PostgreSQL text refuses NUL).
    if (!actor.platformUserId || /[\u0000-\u001f]/.test(actor.platformUserId)) return undefined;
    const user = await directoryQuery.byIdentity(this.deps.db, actor.platform, actor.platformUserId);
    return user?.active ? user : undefined;
  }

  async handleText(req: TextRequest): Promise<Reply> {
    const user = await this.resolveUser(req.actor);
    if (!user) {
      const locale: Locale = CJK.test(req.text) ? 'zh-CN' : this.deps.defaultLocale;
      // Strangers may only learn their own id and what to ask for, or link themselves with the setup code.
      const parsed = parseCommand(req.text);
      if (parsed.ok && parsed.command.kind === 'link')
        return handleUnlinkedLink(this.deps, req.actor, parsed.command, locale, this.setupCode);
      return { visibility: 'ephemeral', view: unlinkedView(locale, req.actor) };
    }
    const ctx = this.context(req.actor, user);
    const top = this.extraTop(req.text);
    if (top) return top.handler({ actor: req.actor, user, locale: ctx.locale, args: top.args });
    const foreign = this.deps.extraCommands && foreignSubcommand(req.text);
    const extra = foreign && Object.entries(this.deps.extraCommands!).find(([word]) => word.toLowerCase() === foreign.word)?.[1];
    if (foreign && extra) return extra({ actor: req.actor, user, locale: ctx.locale, args: foreign.args });
    const parsed = parseCommand(req.text);
    if (!parsed.ok) return { visibility: 'ephemeral', view: refusalView(ctx.locale, parsed, parsed.usage) };
    const cmd = parsed.command;
    switch (cmd.kind) {
      case 'new':
        return handleNewPayment(ctx, cmd);
      case 'show':
        return handleShow(ctx, cmd);
      case 'list':
        return handleList(ctx, cmd);
      case 'approve':
      case 'reject':
        return handleDecide(ctx, cmd);
      case 'cancel':
        return handleCancel(ctx, cmd);
      case 'balance':
        return handleBalance(ctx, cmd);
      case 'help':
        return handleHelp(ctx);
      case 'whoami':
        return { visibility: 'ephemeral', view: whoamiView(ctx.locale, ctx.user, ctx.actor) };
      case 'link':
        return handleLink(ctx, cmd);
    }
  }

  async handleAction(req: ActionRequest): Promise<ActionReply> {
    const user = await this.resolveUser(req.actor);
    if (!user) {
      const view = unlinkedView(this.deps.defaultLocale, req.actor);
      return { visibility: 'ephemeral', view, toast: { tone: 'danger', text: view.text } };
    }
    const extra = this.deps.extraActions?.[req.actionId];
    if (extra) return extra(req, user);
    const ctx = this.context(req.actor, user);
    if (isPaymentAction(req.actionId)) return handlePaymentAction(ctx, req, this.inFlight);
    const view = refusalView(ctx.locale, { code: 'COMMAND.UNKNOWN_ACTION', params: { action: req.actionId } });
    return { visibility: 'ephemeral', view, toast: { tone: 'warning', text: view.text } };
  }

  private extraTop(text: string) {
    const m = /^\s*\/?(\S+)\s*([\s\S]*)$/.exec(typeof text === 'string' ? text.slice(0, 1000) : '');
    const word = m?.[1].toLowerCase();
    const handler = word && Object.entries(this.deps.extraTopCommands ?? {}).find(([w]) => w.toLowerCase() === word)?.[1];
    return handler ? { handler, args: m![2] } : undefined;
  }

  private context(actor: Actor, user: User): CommandContext {
    return { deps: this.deps, actor, user, locale: user.locale ?? this.deps.defaultLocale, timeZone: this.timeZone, now: this.now };
  }
}

import { isPaymentStatus } from '../../src/domain/payment/payment-status';
import { directoryQuery } from '../../src/services/queries/directory.query';
import { PaymentListFilters, listPayments } from '../../src/services/queries/payment-list.query';
import type { CommandContext } from '../command-context';
import type { ListCommand } from '../parse/command.schema';
import { describeNamed, matchByName } from '../resolve/match-by-name';
import type { Reply } from '../view/view';
import { startOfDay } from '../views/format';
import { refusalView } from '../views/message.view';
import { ListSpec, pastEndView, paymentListView } from '../views/payment-list.view';

export const PAGE_SIZE = 10;

// People who vote see what waits for them first; everyone else sees everything.
const VOTERS = ['approver', 'treasurer'];

/**
 * `/pay list [mine] [today] [todo] [<status>] [<currency>] [<payee>] [page N]`:
 * every filter given must hold. With no filter at all, approvers get what waits
 * for their vote and everyone else all payments.
 */
export async function handleList(ctx: CommandContext, cmd: ListCommand): Promise<Reply> {
  const refused = (code: string, params?: Record<string, string | number>): Reply => ({
    visibility: 'ephemeral',
    view: refusalView(ctx.locale, { code, params }, 'list'),
  });
  let payee: { id: string; name: string } | undefined;
  if (cmd.payee) {
    const m = matchByName(await directoryQuery.payees(ctx.deps.db), cmd.payee);
    if (m.kind === 'many') return refused('COMMAND.AMBIGUOUS_PAYEE', { query: cmd.payee, matches: describeNamed(m.items) });
    if (m.kind === 'none') return refused('COMMAND.LIST_UNKNOWN_WORD', { word: cmd.payee });
    payee = m.item;
  }
  const nothingGiven = cmd.words.length === 0 && !cmd.currency && !payee;
  const defaulted = nothingGiven && ctx.user.roles.some((r) => VOTERS.includes(r));
  const words = defaulted ? ['todo' as const] : cmd.words;
  const filters: PaymentListFilters = {
    mine: words.includes('mine'),
    today: words.includes('today'),
    todo: words.includes('todo'),
    status: words.find(isPaymentStatus),
    currency: cmd.currency,
    payeeId: payee?.id,
  };
  const spec: ListSpec = { words, currency: cmd.currency, payee: payee && { typed: cmd.payee!, name: payee.name }, defaulted };
  const { rows, total } = await listPayments(ctx.deps.db, {
    filters,
    page: cmd.page,
    pageSize: PAGE_SIZE,
    user: ctx.user,
    dayStart: startOfDay(ctx.now(), ctx.timeZone),
  });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (cmd.page > pages && total > 0) return { visibility: 'ephemeral', view: pastEndView(ctx.locale, spec, cmd.page, pages, total) };
  const view = paymentListView({ rows, total, spec, page: cmd.page, pageSize: PAGE_SIZE, locale: ctx.locale, timeZone: ctx.timeZone });
  return { visibility: 'ephemeral', view };
}

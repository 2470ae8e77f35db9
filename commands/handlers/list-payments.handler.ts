import { listPayments } from '../../src/services/queries/payment-list.query';
import type { CommandContext } from '../command-context';
import type { ListCommand } from '../parse/command.schema';
import type { Reply } from '../view/view';
import { startOfDay } from '../views/format';
import { paymentListView } from '../views/payment-list.view';

export const PAGE_SIZE = 10;

export async function handleList(ctx: CommandContext, cmd: ListCommand): Promise<Reply> {
  const { rows, total } = await listPayments(ctx.deps.db, {
    filter: cmd.filter,
    page: cmd.page,
    pageSize: PAGE_SIZE,
    userId: ctx.user.id,
    dayStart: startOfDay(ctx.now(), ctx.timeZone),
  });
  const view = paymentListView({ rows, total, filter: cmd.filter, page: cmd.page, pageSize: PAGE_SIZE, locale: ctx.locale, timeZone: ctx.timeZone });
  return { visibility: 'ephemeral', view };
}

import { paymentCardQuery } from '../../src/services/queries/payment-card.query';
import { mayRequest } from '../../src/domain/directory';
import { directoryQuery } from '../../src/services/queries/directory.query';
import { tr } from '../command.messages';
import type { CommandContext } from '../command-context';
import type { NewPaymentCommand } from '../parse/command.schema';
import { chooseAccount, resolvePayee } from '../resolve/resolve-directory';
import type { Reply } from '../view/view';
import { formatDate } from '../views/format';
import { refusalView } from '../views/message.view';
import { paymentCard } from '../views/payment-card.view';

/**
 * `/pay new …`: resolve the names against the directory, then hand over to
 * CreatePayment, which re-checks everything inside its transaction. The reply
 * is the new card; the approval card for approvers is the notifier's job.
 */
export async function handleNewPayment(ctx: CommandContext, cmd: NewPaymentCommand): Promise<Reply> {
  const refused = (code: string, params?: Record<string, string | number>, usage?: 'new'): Reply => ({
    visibility: 'ephemeral',
    view: refusalView(ctx.locale, { code, params }, usage),
  });
  if (!mayRequest(ctx.user)) return refused('PAYMENT.NOT_ALLOWED_TO_REQUEST');
  // ISO dates compare correctly as strings.
  if (cmd.executionDate && cmd.executionDate < formatDate(ctx.now(), ctx.timeZone))
    return refused('COMMAND.DATE_IN_PAST', { date: cmd.executionDate }, 'new');

  const [accounts, payees] = [await directoryQuery.accounts(ctx.deps.db), await directoryQuery.payees(ctx.deps.db)];
  const payee = resolvePayee(payees, cmd.payee);
  if (!payee.ok) return refused(payee.code, payee.params);
  const chosen = chooseAccount(accounts, cmd.amount, cmd.account, payee.value);
  if (!chosen.ok) return refused(chosen.code, chosen.params, chosen.code.startsWith('MONEY.') ? 'new' : undefined);

  const created = await ctx.deps.createPayment.execute({
    source: 'chat',
    debtorAccountId: chosen.value.account.id,
    payeeId: payee.value.id,
    amount: chosen.value.amount,
    purpose: cmd.purpose,
    requesterId: ctx.user.id,
    actor: `user:${ctx.user.handle}`,
    ...(cmd.executionDate ? { executionDate: cmd.executionDate } : {}),
  });
  if (!created.ok) return refused(created.code, created.params);

  const data = await paymentCardQuery.factsOf(ctx.deps.db, created.value.payment);
  const note = tr(ctx.locale, created.value.autoApproved ? 'CARD.CREATED_AUTO' : 'CARD.CREATED_PENDING');
  return { visibility: 'ephemeral', view: paymentCard({ ...data, locale: ctx.locale, timeZone: ctx.timeZone, now: ctx.now(), note, actionable: false }) };
}

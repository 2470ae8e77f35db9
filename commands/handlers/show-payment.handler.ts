import { paymentCardQuery } from '../../src/services/queries/payment-card.query';
import type { CommandContext } from '../command-context';
import type { Reply } from '../view/view';
import { refusalView } from '../views/message.view';
import { paymentCard } from '../views/payment-card.view';

/** Any mapped person may read any payment: approvers and requesters need the same facts. */
export async function handleShow(ctx: CommandContext, cmd: { reference: string }): Promise<Reply> {
  const data = await paymentCardQuery.current(ctx.deps.db, { reference: cmd.reference });
  if (!data) return { visibility: 'ephemeral', view: refusalView(ctx.locale, { code: 'PAYMENT.NOT_FOUND', params: { reference: cmd.reference } }) };
  return { visibility: 'ephemeral', view: paymentCard({ ...data, locale: ctx.locale, timeZone: ctx.timeZone, now: ctx.now(), actionable: false }) };
}

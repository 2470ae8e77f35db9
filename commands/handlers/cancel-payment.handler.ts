import { paymentCardQuery } from '../../src/services/queries/payment-card.query';
import { tr } from '../command.messages';
import type { CommandContext } from '../command-context';
import type { Reply } from '../view/view';
import { refusalView } from '../views/message.view';
import { paymentCard } from '../views/payment-card.view';

/** `/pay cancel <ref>`: CancelPayment allows only the requester or an admin, only while pending. */
export async function handleCancel(ctx: CommandContext, cmd: { reference: string }): Promise<Reply> {
  const r = await ctx.deps.cancelPayment.execute({ reference: cmd.reference, userId: ctx.user.id });
  if (!r.ok) return { visibility: 'ephemeral', view: refusalView(ctx.locale, r) };
  const data = await paymentCardQuery.factsOf(ctx.deps.db, r.value);
  const note = tr(ctx.locale, 'COMMAND.CANCELLED', { reference: r.value.reference });
  return { visibility: 'ephemeral', view: paymentCard({ ...data, locale: ctx.locale, timeZone: ctx.timeZone, now: ctx.now(), note, actionable: false }) };
}

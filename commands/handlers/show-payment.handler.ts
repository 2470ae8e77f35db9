import { paymentCardQuery } from '../../src/services/queries/payment-card.query';
import { paymentTrail } from '../../src/services/queries/payment-trail.query';
import { trailField } from '../views/payment-trail.view';
import type { CommandContext } from '../command-context';
import type { Reply } from '../view/view';
import { refusalView } from '../views/message.view';
import { paymentCard } from '../views/payment-card.view';

/** Any mapped person may read any payment and its audit trail: approvers and requesters need the same facts. */
export async function handleShow(ctx: CommandContext, cmd: { reference: string }): Promise<Reply> {
  const data = await paymentCardQuery.current(ctx.deps.db, { reference: cmd.reference });
  if (!data) return { visibility: 'ephemeral', view: refusalView(ctx.locale, { code: 'PAYMENT.NOT_FOUND', params: { reference: cmd.reference } }) };
  const card = paymentCard({ ...data, locale: ctx.locale, timeZone: ctx.timeZone, now: ctx.now(), actionable: false });
  // Every recorded step with its time, not only the votes: what the hash-chained audit log holds.
  card.fields.push(trailField(await paymentTrail(ctx.deps.db, data.payment.reference), ctx.locale, ctx.timeZone));
  return { visibility: 'ephemeral', view: card };
}

import { paymentCardQuery } from '../../src/services/queries/payment-card.query';
import { tr } from '../command.messages';
import type { CommandContext } from '../command-context';
import type { Reply } from '../view/view';
import { refusalView } from '../views/message.view';
import { paymentCard } from '../views/payment-card.view';

/**
 * `/pay approve <ref>` and `/pay reject <ref> <reason>`. DecideApproval enforces
 * roles, limits, maker–checker and one vote per person, so nothing here decides
 * who may vote; typed commands carry no card version, so no stale check applies.
 */
export async function handleDecide(
  ctx: CommandContext,
  cmd: { kind: 'approve' | 'reject'; reference: string; reason?: string },
): Promise<Reply> {
  const r = await ctx.deps.decideApproval.execute({
    reference: cmd.reference,
    approverId: ctx.user.id,
    decision: cmd.kind,
    ...(cmd.reason ? { reason: cmd.reason } : {}),
    via: ctx.actor.platform,
  });
  if (!r.ok) return { visibility: 'ephemeral', view: refusalView(ctx.locale, r) };
  const data = await paymentCardQuery.factsOf(ctx.deps.db, r.value.payment);
  const note = tr(ctx.locale, cmd.kind === 'approve' ? 'COMMAND.APPROVED' : 'COMMAND.REJECTED', { reference: cmd.reference });
  return { visibility: 'ephemeral', view: paymentCard({ ...data, locale: ctx.locale, timeZone: ctx.timeZone, now: ctx.now(), note, actionable: false }) };
}

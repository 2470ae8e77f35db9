import type { Payment } from '../../src/domain/payment/payment';
import type { Refusal } from '../../src/domain/result';
import { DUPLICATE_RECEIPT, type Receipt } from '../../src/services/interaction-receipts';
import { paymentCardQuery } from '../../src/services/queries/payment-card.query';
import { tr } from '../command.messages';
import type { CommandContext } from '../command-context';
import { ACTION_IDS, ActionReply, ActionRequest } from '../contracts';
import type { CardView } from '../view/view';
import { message } from '../view/view';
import { refusalView } from '../views/message.view';
import { paymentCard } from '../views/payment-card.view';
import type { InFlightReceipts } from './interaction-receipts';
import { parseButtonValue } from '../shared/button-value';


const PAYMENT_ACTIONS: readonly string[] = [ACTION_IDS.approve, ACTION_IDS.reject, ACTION_IDS.cancel];
export const isPaymentAction = (actionId: string): boolean => PAYMENT_ACTIONS.includes(actionId);

// The card is out of date or the payment moved on: show what is true now instead of acting.
const SHOW_CURRENT = new Set(['APPROVAL.STALE_CARD', 'APPROVAL.NOT_PENDING', 'PAYMENT.CANCEL_TOO_LATE']);

/**
 * A tap on Approve / Reject / Cancel. Order matters: the value and a reject
 * reason are checked before the receipt is claimed (a prompt for a reason must
 * not use up the tap), the receipt is claimed before acting (a redelivery acts
 * once), and the card version travels to DecideApproval so a stale card never
 * decides anything.
 */
export async function handlePaymentAction(ctx: CommandContext, req: ActionRequest, inFlight: InFlightReceipts): Promise<ActionReply> {
  const { locale } = ctx;
  const parsed = parseButtonValue(req.value);
  if (!parsed || !req.receiptId) return refused(ctx, { code: 'COMMAND.BAD_ACTION_VALUE' });
  const payment = await paymentCardQuery.find(ctx.deps.db, { id: parsed.id });
  if (!payment) return refused(ctx, { code: 'PAYMENT.NOT_FOUND', params: { reference: parsed.id } });

  const reason = req.reason?.trim();
  if (req.actionId === ACTION_IDS.reject && !reason) {
    const text = tr(locale, 'COMMAND.ASK_REJECT_REASON', { reference: payment.reference });
    return { visibility: 'ephemeral', view: message('warning', text), toast: { tone: 'warning', text } };
  }

  const { platform } = ctx.actor;
  const receipt: Receipt = { platform, id: req.receiptId };
  // The receipt is claimed inside the decision's own transaction (DecideApproval, CancelPayment).
  const first = await inFlight.once(`${platform}\u0000${req.receiptId}`, () => act(ctx, req.actionId, payment, parsed.v, receipt, reason));
  if (first.ran && first.value) return first.value;
  const text = tr(locale, 'COMMAND.DUPLICATE_ACTION');
  return { visibility: 'ephemeral', view: message('info', text), toast: { tone: 'info', text }, card: await currentCard(ctx, payment.id) };
}

/** Acts on the tap; undefined when its receipt was already used (a redelivery or a double click). */
async function act(ctx: CommandContext, actionId: string, payment: Payment, version: number, receipt: Receipt, reason?: string): Promise<ActionReply | undefined> {
  if (actionId === ACTION_IDS.cancel) {
    // CancelPayment takes no version, so a stale card is caught here; the row lock inside still guards the race.
    if (payment.version !== version)
      return refused(ctx, { code: 'APPROVAL.STALE_CARD', params: { reference: payment.reference, status: payment.status } }, payment.id);
    const r = await ctx.deps.cancelPayment.execute({ reference: payment.reference, userId: ctx.user.id, receipt });
    if (!r.ok && r.code === DUPLICATE_RECEIPT) return undefined;
    if (!r.ok) return refused(ctx, r, payment.id);
    return done(ctx, 'COMMAND.CANCELLED', payment);
  }
  const decision = actionId === ACTION_IDS.approve ? 'approve' : 'reject';
  const r = await ctx.deps.decideApproval.execute({
    paymentId: payment.id,
    approverId: ctx.user.id,
    decision,
    ...(reason ? { reason } : {}),
    via: ctx.actor.platform,
    expectedVersion: version,
    receipt,
  });
  if (!r.ok && r.code === DUPLICATE_RECEIPT) return undefined;
  if (!r.ok) return refused(ctx, r, payment.id);
  return done(ctx, decision === 'approve' ? 'COMMAND.APPROVED' : 'COMMAND.REJECTED', payment);
}

async function currentCard(ctx: CommandContext, paymentId: string): Promise<CardView | undefined> {
  const data = await paymentCardQuery.current(ctx.deps.db, { id: paymentId });
  return data && paymentCard({ ...data, locale: ctx.locale, timeZone: ctx.timeZone, now: ctx.now() });
}

async function done(ctx: CommandContext, code: string, payment: Payment): Promise<ActionReply> {
  const text = tr(ctx.locale, code, { reference: payment.reference });
  return { visibility: 'ephemeral', view: message('good', text), toast: { tone: 'good', text }, card: await currentCard(ctx, payment.id) };
}

/** A refusal; for a stale or settled matter, with the current card so the tapped message can be corrected. */
async function refused(ctx: CommandContext, r: Pick<Refusal, 'code' | 'params'>, paymentId?: string): Promise<ActionReply> {
  const view = refusalView(ctx.locale, r);
  const reply: ActionReply = { visibility: 'ephemeral', view, toast: { tone: 'warning', text: view.text }, refusal: r.code };
  if (paymentId && SHOW_CURRENT.has(r.code)) reply.card = await currentCard(ctx, paymentId);
  return reply;
}

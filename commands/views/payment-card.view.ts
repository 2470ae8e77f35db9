import { Role } from '../../src/domain/approval/approval-policy';
import { Vote, outcomeOf } from '../../src/domain/approval/approval-rules';
import { BankAccount, Payee, isKnownPayee } from '../../src/domain/directory';
import { hasMessage } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import { maskAccountNumber } from '../../src/domain/mask';
import { formatMoney } from '../../src/domain/money';
import { ApprovalVote, Payment } from '../../src/domain/payment/payment';
import { ISO20022_STATUS, PaymentStatus } from '../../src/domain/payment/payment-status';
import { ACTION_IDS } from '../contracts';
import { tr } from '../command.messages';
import type { CardView, Tone, ViewButton, ViewField } from '../view/view';
import { cardAmount, formatDate, formatDateTime, roleList } from './format';

/** A vote as the card shows it; roles let the card say what is still needed. */
export interface CardVote extends ApprovalVote {
  approverRoles?: readonly string[];
}

/** Everything a payment card shows, loaded once and rendered per reader's language. */
export interface PaymentCardData {
  payment: Payment;
  account?: BankAccount;
  payee?: Payee;
  requester?: { name: string };
  votes: CardVote[];
}

export interface PaymentCardContext extends PaymentCardData {
  locale: Locale;
  timeZone?: string;
  /** "Now" for the payee's cooling-off check; defaults to the payment's last update. */
  now?: Date;
  /** A first context line for the person who just acted ("Created; waiting for approval."). */
  note?: string;
  /**
   * False for copies nobody keeps up to date (a command's ephemeral reply, `/pay show`):
   * no buttons that would act on a stale state, and a line saying where the live card is.
   */
  actionable?: boolean;
}

export const STATUS_TONE: Record<PaymentStatus, Tone> = {
  pending_approval: 'warning',
  approved: 'info',
  queued: 'info',
  submitted: 'info',
  settled: 'good',
  failed: 'danger',
  rejected: 'danger',
  cancelled: 'neutral',
  expired: 'neutral',
};

export const paymentCardKey = (paymentId: string): string => `payment:${paymentId}`;

/** The value every payment button carries: a stale tap is recognised by its version. */
export const paymentButtonValue = (p: Pick<Payment, 'id' | 'version'>): string => JSON.stringify({ id: p.id, v: p.version });

const described = (name: string, bank: string, number: string) => `${name} · ${bank} ${maskAccountNumber(number)}`;

export function paymentCard(ctx: PaymentCardContext): CardView {
  const { payment: p, locale } = ctx;
  const unknown = tr(locale, 'CARD.UNKNOWN');
  const fields: ViewField[] = [
    { label: tr(locale, 'CARD.PAYEE'), value: ctx.payee ? described(ctx.payee.name, ctx.payee.bankName, ctx.payee.accountNumber) : unknown },
    { label: tr(locale, 'CARD.FROM'), value: ctx.account ? described(ctx.account.name, ctx.account.bankName, ctx.account.accountNumber) : unknown },
    { label: tr(locale, 'CARD.PURPOSE'), value: p.purpose },
    { label: tr(locale, 'CARD.REQUESTER'), value: ctx.requester?.name ?? p.requestedBy },
    { label: tr(locale, 'CARD.EXECUTION_DATE'), value: p.executionDate ?? tr(locale, 'CARD.EXECUTION_ASAP') },
    { label: tr(locale, 'CARD.APPROVAL_RULE'), value: tierText(ctx) },
  ];
  return {
    kind: 'card',
    key: paymentCardKey(p.id),
    title: tr(locale, 'CARD.TITLE', { reference: p.reference }),
    status: { label: tr(locale, `STATUS.${p.status}`), tone: STATUS_TONE[p.status], code: ISO20022_STATUS[p.status] },
    amount: cardAmount(p.amount, locale),
    fields,
    warnings: warnings(ctx),
    context: contextLines(ctx),
    buttons: p.status === 'pending_approval' && ctx.actionable !== false ? buttons(ctx) : [],
  };
}

function tierText({ payment: { tier }, locale }: PaymentCardContext): string {
  // A tier with no human approvals still needs one when auto-approval did not apply (new payee, warnings).
  const count = Math.max(1, tier.approvals);
  const roles = roleList(locale, tier.roles);
  let rule = count === 1 ? tr(locale, 'TIER.ONE', { roles }) : tr(locale, 'TIER.MANY', { count, roles });
  if (tier.requireRole) rule = tr(locale, 'TIER.REQUIRE', { rule, role: tr(locale, `ROLE.${tier.requireRole}`) });
  return tier.autoApprove ? tr(locale, 'TIER.AUTO', { rule }) : rule;
}

function warnings(ctx: PaymentCardContext): string[] {
  const { payment: p, locale, timeZone } = ctx;
  const out = p.warnings.map((w) => {
    const text = hasMessage(locale, w.code) || hasMessage('en', w.code) ? tr(locale, w.code) : w.code;
    return tr(locale, 'CARD.WARNING', {
      severity: tr(locale, `SEVERITY.${w.severity}`),
      text: w.detail ? `${text} (${w.detail})` : text,
    });
  });
  if (p.status !== 'pending_approval') return out;
  // What an approver must weigh before tapping: an unproven payee, or money that is not there.
  if (ctx.payee && !isKnownPayee(ctx.payee, ctx.now ?? p.updatedAt)) {
    out.push(
      ctx.payee.verified && ctx.payee.coolingOffUntil
        ? tr(locale, 'CARD.NEW_PAYEE_COOLING', { date: formatDate(ctx.payee.coolingOffUntil, timeZone) })
        : tr(locale, 'CARD.NEW_PAYEE'),
    );
  }
  const a = ctx.account;
  if (a && a.balance.currency === p.amount.currency && a.balance.minor < p.amount.minor) {
    out.push(tr(locale, 'CARD.OVER_BALANCE', { balance: formatMoney(a.balance, locale), at: formatDateTime(a.balanceAsOf, timeZone) }));
  }
  return out;
}

function contextLines(ctx: PaymentCardContext): string[] {
  const { payment: p, locale, timeZone } = ctx;
  const lines: string[] = ctx.note ? [ctx.note] : [];
  lines.push(tr(locale, 'CARD.CREATED_AT', { at: formatDateTime(p.createdAt, timeZone), source: tr(locale, `SOURCE.${p.source}`) }));
  for (const v of ctx.votes) {
    const via = hasMessage(locale, `VIA.${v.via}`) ? tr(locale, `VIA.${v.via}`) : v.via;
    const params = { name: v.approverName, at: formatDateTime(v.at, timeZone), via, reason: v.reason ?? '' };
    lines.push(tr(locale, v.decision === 'approve' ? 'CARD.VOTE_APPROVE' : 'CARD.VOTE_REJECT', params));
  }
  if (ctx.votes.length === 0 && p.decidedAt && ['approved', 'queued', 'submitted', 'settled', 'failed'].includes(p.status)) {
    lines.push(tr(locale, 'CARD.AUTO_APPROVED'));
  }
  if (p.status === 'pending_approval') lines.push(remainingText(ctx));
  if (p.status === 'pending_approval' && ctx.actionable === false) lines.push(tr(locale, 'CARD.DECIDE_ON_LIVE', { reference: p.reference }));
  if (p.bankStatus) {
    lines.push(
      p.bankReason
        ? tr(locale, 'CARD.BANK_STATUS_REASON', { status: p.bankStatus, reason: p.bankReason })
        : tr(locale, 'CARD.BANK_STATUS', { status: p.bankStatus }),
    );
  }
  return lines;
}

function remainingText({ payment: { tier }, votes, locale }: PaymentCardContext): string {
  const cast: Vote[] = votes.map((v) => ({ approverId: v.approverId, decision: v.decision, approverRoles: (v.approverRoles ?? []) as Role[] }));
  const o = outcomeOf(tier, cast);
  // Not pending by the rules yet still pending_approval: an auto-approve tier whose auto-approval was vetoed.
  const remaining = o.state === 'pending' ? o.remaining : 1;
  const needsRole = o.state === 'pending' ? o.needsRole : undefined;
  if (remaining === 1) {
    const who = needsRole ? tr(locale, `ROLE_A.${needsRole}`) : roleList(locale, tier.roles, true);
    return tr(locale, 'REMAINING.ONE', { who });
  }
  if (needsRole) return tr(locale, 'REMAINING.MANY_WITH_ROLE', { count: remaining, who: tr(locale, `ROLE_A.${needsRole}`) });
  return tr(locale, 'REMAINING.MANY', { count: remaining, who: roleList(locale, tier.roles, true) });
}

function buttons({ payment: p, locale }: PaymentCardContext): ViewButton[] {
  const value = paymentButtonValue(p);
  return [
    { actionId: ACTION_IDS.approve, label: tr(locale, 'BUTTON.APPROVE'), style: 'primary', value },
    {
      actionId: ACTION_IDS.reject,
      label: tr(locale, 'BUTTON.REJECT'),
      style: 'danger',
      value,
      reasonPrompt: {
        title: tr(locale, 'REJECT_PROMPT.TITLE', { reference: p.reference }),
        label: tr(locale, 'REJECT_PROMPT.LABEL'),
        submit: tr(locale, 'REJECT_PROMPT.SUBMIT'),
      },
    },
  ];
}

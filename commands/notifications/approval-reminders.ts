import type { User } from '../../src/domain/directory';
import { registerCatalog } from '../../src/domain/i18n';
import type { Catalog, Locale } from '../../src/domain/locale';
import { formatMoney } from '../../src/domain/money';
import type { Payment } from '../../src/domain/payment/payment';
import type { ApprovalReminderPort } from '../../src/jobs/approval-reminder.port';
import type { Database } from '../../src/persistence/database';
import { directoryQuery } from '../../src/services/queries/directory.query';
import { PaymentCardFacts, paymentCardQuery } from '../../src/services/queries/payment-card.query';
import { tr } from '../command.messages';
import type { ChatSurface, LocalisedView } from '../contracts';
import { message } from '../view/view';
import { DEFAULT_TIME_ZONE } from '../views/format';
import { paymentCard } from '../views/payment-card.view';

export const approvalReminderMessages: Catalog = {
  en: {
    'REMINDER.REMIND': 'Reminder: payment {reference} ({amount} to {payee}, requested by {requester}) has waited {waited} for your approval.',
    'REMINDER.ESCALATE':
      'Escalation: payment {reference} ({amount} to {payee}, requested by {requester}) has waited {waited} without a decision. As a treasurer you can approve or reject it.',
    'REMINDER.EXPIRED':
      'Your payment {reference} ({amount} to {payee}) expired after waiting {waited} for approval; nothing will be paid. Request it again with /pay new if it is still needed.',
    'DURATION.d': '{n} d',
    'DURATION.h': '{n} h',
    'DURATION.min': '{n} min',
    'DURATION.SEP': ' ',
  },
  'zh-CN': {
    'REMINDER.REMIND': '提醒：付款 {reference}（{amount}，付给 {payee}，申请人 {requester}）已等待您审批 {waited}。',
    'REMINDER.ESCALATE': '升级提醒：付款 {reference}（{amount}，付给 {payee}，申请人 {requester}）已等待 {waited} 仍未审批。您作为资金主管可以批准或驳回。',
    'REMINDER.EXPIRED': '您的付款 {reference}（{amount}，付给 {payee}）等待审批 {waited} 后已过期，不会付款。如仍需付款，请用 /付款 新建 重新发起。',
    'DURATION.d': '{n} 天',
    'DURATION.h': '{n} 小时',
    'DURATION.min': '{n} 分钟',
    'DURATION.SEP': ' ',
  },
};
registerCatalog(approvalReminderMessages);

/** `1 d 4 h`, `3 h`, `25 min` / `1 天 4 小时`: how long a payment has waited, to the minute and at most two units. */
export function formatWaited(ms: number, locale: Locale): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const parts: [string, number][] = [['d', Math.floor(minutes / 1440)], ['h', Math.floor((minutes % 1440) / 60)], ['min', minutes % 60]];
  const shown = parts.filter(([, n]) => n > 0).slice(0, 2);
  if (shown.length === 0) shown.push(['min', 0]);
  return shown.map(([unit, n]) => tr(locale, `DURATION.${unit}`, { n })).join(tr(locale, 'DURATION.SEP'));
}

export interface ChatApprovalRemindersDeps {
  db: Database;
  /** The same array the notifier holds: surfaces that connect later are reached too. */
  surfaces: ChatSurface[];
  timeZone?: string;
  clock?: () => Date;
  /**
   * Whether `expired` DMs the requester. PaymentNotifier already tells requesters
   * about every status change to `expired`; set false where it runs, so nobody
   * hears of one expiry twice. Defaults to true.
   */
  notifyRequesterOnExpiry?: boolean;
}

/**
 * Approval reminders, escalations and expiries as direct messages on every chat
 * surface, in each recipient's language: a short sentence, then the payment
 * card (with its buttons while it still waits). Every recipient and surface is
 * tried; failures are gathered into one error for the job to log, since the job
 * delivers at most once.
 */
export class ChatApprovalReminders implements ApprovalReminderPort {
  constructor(private readonly deps: ChatApprovalRemindersDeps) {}

  async remind(payment: Payment, approverIds: string[]): Promise<void> {
    await this.nudge(payment, approverIds, 'REMINDER.REMIND');
  }

  async escalate(payment: Payment, treasurerIds: string[]): Promise<void> {
    await this.nudge(payment, treasurerIds, 'REMINDER.ESCALATE');
  }

  async expired(payment: Payment): Promise<void> {
    if (this.deps.notifyRequesterOnExpiry === false) return;
    const loaded = await this.load(payment, []);
    const requester = loaded?.data.requester;
    if (!loaded || !requester?.active) return;
    const text = (locale: Locale) => this.sentence(loaded.data, 'REMINDER.EXPIRED', locale);
    await this.deliver([requester], [(locale) => message('warning', text(locale), [tr(locale, 'NOTICE.SHOW', { reference: payment.reference })])]);
  }

  private async nudge(payment: Payment, userIds: string[], code: string): Promise<void> {
    const loaded = await this.load(payment, userIds);
    if (!loaded || loaded.users.length === 0) return;
    const { data } = loaded;
    const timeZone = this.deps.timeZone ?? DEFAULT_TIME_ZONE;
    const now = this.now();
    await this.deliver(loaded.users, [
      (locale) => message(code === 'REMINDER.ESCALATE' ? 'warning' : 'info', this.sentence(data, code, locale)),
      (locale) => paymentCard({ ...data, locale, timeZone, now }),
    ]);
  }

  /** The payment as it is now (the job's copy may be a moment old) and the active recipients. */
  private async load(payment: Payment, userIds: string[]): Promise<{ data: PaymentCardFacts; users: User[] } | undefined> {
    const data = (await paymentCardQuery.current(this.deps.db, { id: payment.id })) ?? (await paymentCardQuery.factsOf(this.deps.db, payment));
    const users = (await directoryQuery.usersByIds(this.deps.db, userIds)).filter((u) => u.active);
    return { data, users };
  }

  private sentence(data: PaymentCardFacts, code: string, locale: Locale): string {
    const p = data.payment;
    return tr(locale, code, {
      reference: p.reference,
      amount: formatMoney(p.amount, locale),
      payee: data.payee?.name ?? '?',
      requester: data.requester?.name ?? p.requestedBy,
      waited: formatWaited(this.now().getTime() - p.createdAt.getTime(), locale),
    });
  }

  /** Each message in order to each person on each surface; one failure does not stop the rest. */
  private async deliver(users: User[], views: LocalisedView[]): Promise<void> {
    const failures: unknown[] = [];
    await Promise.all(
      [...this.deps.surfaces].flatMap((surface) =>
        users.map(async (user) => {
          for (const view of views) {
            try {
              await surface.notifyUser({ user, view });
            } catch (err) {
              failures.push(new Error(`${surface.platform} DM to ${user.handle} failed`, { cause: err }));
              return; // the card without its sentence would only confuse
            }
          }
        }),
      ),
    );
    if (failures.length) throw new AggregateError(failures, `approval DM failed for ${failures.length} recipient(s)`);
  }

  private now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }
}

import type { BankAccount, Payee, User } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import { maskAccountNumber } from '../../src/domain/mask';
import { formatMoney, type Money } from '../../src/domain/money';
import { DueRun, PaymentSchedule, ScheduleStatus, parseCadence, runAmount, runMinutes } from '../../src/domain/schedule';
import { partsOf } from '../../src/domain/schedule/calendar';
import type { CardView, Tone, ViewButton, ViewField } from '../view/view';
import { cardAmount, formatDateTime } from '../views/format';
import { st } from './schedule-command.messages';

/** Button action ids of the schedule card (the router's extraActions keys). */
export const SCHEDULE_ACTION_IDS = { approve: 'schedule.approve', reject: 'schedule.reject' } as const;

/** Everything a schedule card shows, loaded once and rendered per reader's language. */
export interface ScheduleCardData {
  schedule: PaymentSchedule;
  /** The next runs (at most three are shown). */
  upcoming: DueRun[];
  payee?: Payee;
  account?: BankAccount;
  requester?: User;
  approver?: User;
  /** Who paused it, while it is paused (it matters: only a treasurer or admin may lift someone else's pause). */
  pauser?: User;
}

export interface ScheduleCardContext {
  locale: Locale;
  /** Zone for "requested at" / "approved at"; due dates use the schedule's own zone. */
  timeZone?: string;
  /** A first context line for the person who just acted. */
  note?: string;
}

export const SCHEDULE_STATUS_TONE: Record<ScheduleStatus, Tone> = {
  pending_approval: 'warning',
  active: 'good',
  paused: 'info',
  cancelled: 'neutral',
  completed: 'neutral',
  rejected: 'danger',
};

export const scheduleCardKey = (scheduleId: string): string => `schedule:${scheduleId}`;

/** The value every schedule button carries: a stale tap is recognised by its version. */
export const scheduleButtonValue = (s: Pick<PaymentSchedule, 'id' | 'version'>): string => JSON.stringify({ id: s.id, v: s.version });

const hhmm = (minutes: number): string => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const described = (name: string, bank: string, number: string) => `${name} · ${bank} ${maskAccountNumber(number)}`;

/** The cadence in the reader's language (`Monthly on day 25 at 09:00`, `每周五 09:00`); the text as typed if unreadable. */
export function describeCadence(cadence: string, startDate: string, locale: Locale): string {
  const parsed = parseCadence(cadence);
  if (!parsed.ok) return cadence;
  const c = parsed.value;
  const time = hhmm(runMinutes(c));
  switch (c.kind) {
    case 'daily':
      return st(locale, 'CADENCE.daily', { time });
    case 'business_days':
      return st(locale, 'CADENCE.business_days', { time });
    case 'weekly':
      return st(locale, 'CADENCE.weekly', { weekday: st(locale, `WEEKDAY.${c.weekday}`), time });
    case 'weeks': {
      // Counted from the start date, so the start date's weekday is the paying day.
      const weekday = st(locale, `WEEKDAY.${partsOf(startDate).weekday}`);
      return c.interval === 1 ? st(locale, 'CADENCE.weeks1', { weekday, time }) : st(locale, 'CADENCE.weeks', { count: c.interval, weekday, time });
    }
    case 'monthly':
      return c.day === 31 ? st(locale, 'CADENCE.monthly_last', { time }) : st(locale, 'CADENCE.monthly', { day: c.day, time });
    case 'cron':
      return st(locale, 'CADENCE.cron', { expression: c.expression, time });
  }
}

/** One run as `2026-12-25 (Fri) 09:00`, saying when it was moved off a weekend or holiday. */
export function dueText(run: DueRun, timezone: string, locale: Locale, amount?: Money): string {
  const params = {
    date: run.date,
    weekday: st(locale, `WEEKDAY_SHORT.${partsOf(run.date).weekday}`),
    time: formatDateTime(run.at, timezone).slice(11),
    nominal: run.nominalDates.join(', '),
  };
  let text = st(locale, run.nominalDates.some((d) => d !== run.date) ? 'SCHEDULE_CARD.DUE_MOVED' : 'SCHEDULE_CARD.DUE', params);
  // A combined run pays for every cadence date it stands for: say how much.
  if (amount && run.nominalDates.length > 1)
    text += st(locale, 'SCHEDULE_CARD.DUE_COMBINED', { count: run.nominalDates.length, amount: formatMoney(runAmount(amount, run), locale) });
  return run.provisional ? text + st(locale, 'SCHEDULE_CARD.PROVISIONAL') : text;
}

export function scheduleCard(data: ScheduleCardData, ctx: ScheduleCardContext): CardView {
  const { schedule: s } = data;
  const { locale } = ctx;
  const unknown = st(locale, 'CARD.UNKNOWN');
  const upcoming = data.upcoming.slice(0, 3);
  const fields: ViewField[] = [
    { label: st(locale, 'CARD.PAYEE'), value: data.payee ? described(data.payee.name, data.payee.bankName, data.payee.accountNumber) : unknown },
    { label: st(locale, 'CARD.FROM'), value: data.account ? described(data.account.name, data.account.bankName, data.account.accountNumber) : unknown },
    { label: st(locale, 'CARD.PURPOSE'), value: s.purpose },
    { label: st(locale, 'SCHEDULE_CARD.CADENCE'), value: describeCadence(s.cadence, s.startDate, locale) },
    { label: st(locale, 'SCHEDULE_CARD.TIMEZONE'), value: s.timezone },
    { label: st(locale, 'SCHEDULE_CARD.PERIOD'), value: periodText(s, locale) },
    {
      label: st(locale, 'SCHEDULE_CARD.NEXT_DUE'),
      value: upcoming.length ? upcoming.map((r) => dueText(r, s.timezone, locale, s.amount)).join('\n') : st(locale, 'SCHEDULE_CARD.NONE_DUE'),
    },
    { label: st(locale, 'CARD.REQUESTER'), value: data.requester?.name ?? unknown },
  ];
  return {
    kind: 'card',
    key: scheduleCardKey(s.id),
    title: st(locale, 'SCHEDULE_CARD.TITLE', { reference: s.reference }),
    status: { label: st(locale, `SCHEDULE.STATUS.${s.status}`), tone: SCHEDULE_STATUS_TONE[s.status] },
    amount: cardAmount(s.amount, locale),
    fields,
    warnings: [],
    context: contextLines(data, ctx),
    buttons: s.status === 'pending_approval' ? buttons(s, locale) : [],
  };
}

function periodText(s: PaymentSchedule, locale: Locale): string {
  const parts = [st(locale, 'SCHEDULE_CARD.PERIOD_FROM', { date: s.startDate })];
  if (s.endDate) parts.push(st(locale, 'SCHEDULE_CARD.PERIOD_UNTIL', { date: s.endDate }));
  if (s.maxRuns !== undefined) parts.push(st(locale, 'SCHEDULE_CARD.PERIOD_TIMES', { count: s.maxRuns }));
  if (s.runsDone > 0) parts.push(st(locale, 'SCHEDULE_CARD.PERIOD_DONE', { count: s.runsDone }));
  return parts.join(' · ');
}

function contextLines(data: ScheduleCardData, ctx: ScheduleCardContext): string[] {
  const { schedule: s } = data;
  const { locale, timeZone } = ctx;
  const lines = ctx.note ? [ctx.note] : [];
  lines.push(st(locale, 'SCHEDULE_CARD.CREATED_AT', { at: formatDateTime(s.createdAt, timeZone) }));
  if (s.status === 'pending_approval') lines.push(st(locale, 'SCHEDULE_CARD.PENDING_HINT'));
  lines.push(st(locale, s.combine ? 'SCHEDULE_CARD.COMBINED' : 'SCHEDULE_CARD.SEPARATE'));
  if (s.status === 'paused' && s.pausedBy) lines.push(st(locale, 'SCHEDULE_CARD.PAUSED_BY', { name: data.pauser?.name ?? '?' }));
  if (s.approvedAt) {
    lines.push(st(locale, 'SCHEDULE_CARD.APPROVED_BY', { name: data.approver?.name ?? '?', at: formatDateTime(s.approvedAt, timeZone) }));
    // What the approval covers matters to whoever watches the payments go out.
    lines.push(
      s.autoRunApproved && s.approvedAmount
        ? st(locale, 'SCHEDULE_CARD.RUNS_RELEASED', { amount: formatMoney(s.approvedAmount, locale) })
        : st(locale, 'SCHEDULE_CARD.RUNS_APPROVED_EACH'),
    );
  }
  return lines;
}

function buttons(s: PaymentSchedule, locale: Locale): ViewButton[] {
  const value = scheduleButtonValue(s);
  return [
    { actionId: SCHEDULE_ACTION_IDS.approve, label: st(locale, 'BUTTON.APPROVE'), style: 'primary', value },
    {
      actionId: SCHEDULE_ACTION_IDS.reject,
      label: st(locale, 'BUTTON.REJECT'),
      style: 'danger',
      value,
      reasonPrompt: {
        title: st(locale, 'REJECT_PROMPT.TITLE', { reference: s.reference }),
        label: st(locale, 'REJECT_PROMPT.LABEL'),
        submit: st(locale, 'REJECT_PROMPT.SUBMIT'),
      },
    },
  ];
}

import type { Role } from '../../src/domain/approval/approval-policy';
import type { Locale } from '../../src/domain/locale';
import { Money, formatMoney, toChineseCapital } from '../../src/domain/money';
import { tr } from '../command.messages';

/** Where the treasury sits; times on cards and "today" in lists follow it. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const partsIn = (d: Date, timeZone: string): Record<string, string> =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );

/** `2026-11-28 14:05` in both languages: unambiguous, and what bank statements print. */
export function formatDateTime(d: Date, timeZone = DEFAULT_TIME_ZONE): string {
  const p = partsIn(d, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export function formatDate(d: Date, timeZone = DEFAULT_TIME_ZONE): string {
  const p = partsIn(d, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The instant the calendar day containing `d` began in `timeZone` (for "today" lists). */
export function startOfDay(d: Date, timeZone = DEFAULT_TIME_ZONE): Date {
  const p = partsIn(d, timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day));
  // The zone's offset at that moment, measured by how the zone prints it.
  const q = partsIn(new Date(asUtc), timeZone);
  const shown = Date.UTC(Number(q.year), Number(q.month) - 1, Number(q.day), Number(q.hour), Number(q.minute));
  return new Date(asUtc - (shown - asUtc));
}

/** "approver or treasurer" / "审批人或财务主管"; `withArticle` gives "an approver or a treasurer". */
export function roleList(locale: Locale, roles: readonly Role[], withArticle = false): string {
  return roles.map((r) => tr(locale, `${withArticle ? 'ROLE_A' : 'ROLE'}.${r}`)).join(tr(locale, 'WORD.OR'));
}

/** A card's amount line: the amount in the reader's format, plus the capital amount (大写) for CNY. */
export function cardAmount(m: Money, locale: Locale): { text: string; capital?: string } {
  // A projected balance can go below zero; 大写 is written for amounts paid, never negative.
  return m.currency === 'CNY' && m.minor >= 0n ? { text: formatMoney(m, locale), capital: toChineseCapital(m) } : { text: formatMoney(m, locale) };
}

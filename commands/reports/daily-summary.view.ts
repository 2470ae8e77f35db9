import { t } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import { formatMoney } from '../../src/domain/money';
import type { DailySummary } from '../../src/services/reports/daily-summary.query';
import type { CardView, ViewField } from '../view/view';
import { formatDateTime } from '../views/format';
import './report.messages';

const LINES = 8;

const money = (minor: bigint, currency: string, locale: Locale) => formatMoney({ minor, currency }, locale);

/** Totals per currency in one line: "CNY 1,000.00 · USD 50.00". */
function perCurrency(items: { currency: string; minor: bigint }[], locale: Locale): string {
  const sums = new Map<string, bigint>();
  for (const i of items) sums.set(i.currency, (sums.get(i.currency) ?? 0n) + i.minor);
  return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([c, m]) => money(m, c, locale)).join(' · ');
}

const role = (locale: Locale, r: string) => t(locale, `ROLE.${r}`);

function capped(lines: string[], locale: Locale): string {
  if (lines.length <= LINES) return lines.join('\n');
  return [...lines.slice(0, LINES), t(locale, 'REPORT.DAILY.MORE', { more: lines.length - LINES })].join('\n');
}

/**
 * The daily treasury summary as one card, in one language (the route's, or
 * the reader's on demand). Every figure is text, so it reads the same on
 * every surface and in a screen reader.
 */
export function dailySummaryCard(s: DailySummary, locale: Locale): CardView {
  const none = t(locale, 'REPORT.DAILY.NONE');
  const period = s.from === s.date ? s.date : `${s.from} – ${s.date}`;
  const fields: ViewField[] = [];

  const statusLines = s.payments.map((p) =>
    t(locale, 'REPORT.DAILY.STATUS_LINE', { status: t(locale, `STATUS.${p.status}`), count: p.count, total: money(p.totalMinor, p.currency, locale) }),
  );
  fields.push({ label: t(locale, 'REPORT.DAILY.PAYMENTS', { date: period }), value: statusLines.join('\n') || none });

  const pendingLines = s.pending.map((p) => {
    const waiting = [
      t(locale, 'REPORT.DAILY.WAITS', { remaining: p.remaining, roles: p.roles.map((r) => role(locale, r)).join(' / ') }),
      ...(p.needsRole ? [t(locale, 'REPORT.DAILY.WAITS_ROLE', { role: role(locale, p.needsRole) })] : []),
    ].join(locale === 'zh-CN' ? '，' : ', ');
    return t(locale, 'REPORT.DAILY.PENDING_LINE', {
      reference: p.reference, amount: money(p.amountMinor, p.currency, locale), payee: p.payee, requester: p.requester,
      since: formatDateTime(p.createdAt, s.timezone), waiting,
    });
  });
  fields.push({ label: t(locale, 'REPORT.DAILY.PENDING', { count: s.pendingCount }), value: pendingLines.join('\n') || none });

  const alertLines = s.alerts.map((a) => t(locale, 'REPORT.DAILY.ALERT_LINE', { severity: t(locale, `ALERTCARD.SEVERITY.${a.severity}`), title: a.title }));
  fields.push({ label: t(locale, 'REPORT.DAILY.ALERTS', { count: s.alertCount }), value: alertLines.join('\n') || none });

  const balanceLines = s.balances.map((b) => {
    const change =
      b.previousMinor === undefined
        ? t(locale, 'REPORT.DAILY.NO_CHANGE_DATA')
        : `${b.balanceMinor >= b.previousMinor ? '+' : ''}${money(b.balanceMinor - b.previousMinor, b.currency, locale)}`;
    return t(locale, 'REPORT.DAILY.BALANCE_LINE', { code: b.code, bank: b.bank, balance: money(b.balanceMinor, b.currency, locale), change });
  });
  fields.push({ label: t(locale, 'REPORT.DAILY.BALANCES'), value: capped(balanceLines, locale) || none });
  const banks = [...new Set(s.balances.map((b) => b.bank))].sort();
  const bankLines = banks.map((bank) => `${bank}: ${perCurrency(s.balances.filter((b) => b.bank === bank).map((b) => ({ currency: b.currency, minor: b.balanceMinor })), locale)}`);
  fields.push({ label: t(locale, 'REPORT.DAILY.BY_BANK'), value: bankLines.join('\n') || none });
  fields.push({ label: t(locale, 'REPORT.DAILY.BY_CURRENCY'), value: perCurrency(s.balances.map((b) => ({ currency: b.currency, minor: b.balanceMinor })), locale) || none });

  const outflowLines = s.outflows.map((o) =>
    t(locale, 'REPORT.DAILY.OUTFLOW_LINE', {
      date: o.date, amount: money(o.minor, o.currency, locale), kind: t(locale, `REPORT.KIND.${o.kind}`), reference: o.reference, payee: o.payee ?? '',
    }),
  );
  const outflowTotal = s.outflows.length ? [t(locale, 'REPORT.DAILY.OUTFLOW_TOTAL', { amounts: perCurrency(s.outflows, locale) })] : [];
  fields.push({ label: t(locale, 'REPORT.DAILY.OUTFLOWS'), value: [capped(outflowLines, locale), ...outflowTotal].filter(Boolean).join('\n') || none });

  return {
    kind: 'card',
    key: `report:daily:${s.date}`,
    title: t(locale, 'REPORT.DAILY.TITLE', { date: period }),
    fields,
    warnings: [],
    context: [t(locale, 'REPORT.DAILY.FOOTER', { zone: s.timezone })],
    buttons: [],
  };
}

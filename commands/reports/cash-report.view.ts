import { t } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import { formatMoney } from '../../src/domain/money';
import type { CashPosition } from '../../src/services/reports/cash-position';
import type { CashChartLabels } from '../../src/services/reports/render-cash-chart';
import type { CardView, ViewField } from '../view/view';
import { formatDateTime } from '../views/format';
import './report.messages';

const money = (minor: bigint, currency: string, locale: Locale) => formatMoney({ minor, currency }, locale);

/** Axis ticks: 1.2M / 120万, short enough to sit beside the chart. */
function shortAmount(locale: Locale, major: number): string {
  const abs = Math.abs(major);
  if (locale === 'zh-CN') {
    if (abs >= 1e8) return `${+(major / 1e8).toFixed(2)}亿`;
    if (abs >= 1e4) return `${+(major / 1e4).toFixed(1)}万`;
    return String(major);
  }
  if (abs >= 1e9) return `${+(major / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${+(major / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${+(major / 1e3).toFixed(1)}k`;
  return String(major);
}

export function cashChartLabels(p: CashPosition, locale: Locale, timeZone: string): CashChartLabels {
  return {
    title: t(locale, 'REPORT.CASH.TITLE'),
    subtitle: t(locale, 'REPORT.CASH.SUBTITLE', { at: formatDateTime(p.asOf, timeZone), history: p.historyDays, forecast: p.forecastDays }),
    history: t(locale, 'REPORT.CASH.HISTORY'),
    forecast: t(locale, 'REPORT.CASH.FORECAST'),
    threshold: t(locale, 'REPORT.CASH.THRESHOLD'),
    panel: (currency) => t(locale, 'REPORT.CASH.PANEL', { currency }),
    amount: (_currency, major) => shortAmount(locale, major),
  };
}

export const cashAltText = (p: CashPosition, locale: Locale): string =>
  t(locale, 'REPORT.CASH.ALT', { history: p.historyDays, forecast: p.forecastDays });

/**
 * The key figures of the chart as text: today, the lowest point of the
 * forecast per currency, and every account the forecast takes below its
 * threshold. It is the chart's fallback where an upload fails, and what a
 * screen reader reads.
 */
export function cashReportCard(p: CashPosition, locale: Locale, timeZone: string): CardView {
  const fields: ViewField[] = p.series.map((s) => ({
    label: s.currency,
    value: [
      t(locale, 'REPORT.CASH.CURRENCY_LINE', {
        today: money(s.today, s.currency, locale), forecast: p.forecastDays, lowest: money(s.lowest.minor, s.currency, locale), date: s.lowest.date,
      }),
      ...(s.threshold !== undefined ? [t(locale, 'REPORT.CASH.THRESHOLD_LINE', { threshold: money(s.threshold, s.currency, locale) })] : []),
    ].join(' · '),
  }));
  const below = p.accounts
    .filter((a) => a.belowOn !== undefined)
    .map((a) => t(locale, 'REPORT.CASH.ACCOUNT_BELOW', {
      code: a.code, amount: money(a.lowest.minor, a.currency, locale), date: a.belowOn!, threshold: money(a.threshold!, a.currency, locale),
    }));
  fields.push({ label: t(locale, 'REPORT.CASH.ACCOUNTS'), value: below.join('\n') || t(locale, 'REPORT.CASH.NONE_BELOW') });
  return {
    kind: 'card',
    key: `report:cash:${p.today}`,
    title: t(locale, 'REPORT.CASH.TITLE'),
    fields,
    warnings: [],
    context: [t(locale, 'REPORT.CASH.SUBTITLE', { at: formatDateTime(p.asOf, timeZone), history: p.historyDays, forecast: p.forecastDays })],
    buttons: [],
  };
}

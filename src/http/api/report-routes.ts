/**
 * Reports over the REST API (issue 17), in their own file so they move with the
 * other routes when the HTTP layer changes. Scope `reports:read`.
 */
import { z } from 'zod';
import { toDecimalString } from '../../domain/money';
import { parseMonth } from '../../domain/reports/report-access';
import type { CashPoint } from '../../services/reports/cash-position';
import { paymentsExport, toCsv } from '../../services/reports/exports';
import { ApiError } from './api-errors';
import type { Route, RouteContext } from './api-route';

const month = z.string().regex(/^\d{4}-\d{2}$/, 'a month YYYY-MM');
const decimal = z.string();

const CashPointJson = z.object({ date: z.string(), balance: decimal, balance_minor: z.string() });
const CashPositionJson = z.object({
  as_of: z.string(),
  today: z.string(),
  history_days: z.number(),
  forecast_days: z.number(),
  series: z.array(z.object({
    currency: z.string(), today: decimal, threshold: decimal.nullable(), lowest: CashPointJson,
    history: z.array(CashPointJson), forecast: z.array(CashPointJson),
  })),
  accounts: z.array(z.object({
    code: z.string(), currency: z.string(), balance: decimal, threshold: decimal.nullable(), lowest: CashPointJson, below_threshold_on: z.string().nullable(),
  })),
});

function reportsOf(ctx: RouteContext) {
  if (!ctx.deps.reports) throw new ApiError(404, 'API.NOT_FOUND');
  return ctx.deps.reports;
}

const paymentsCsv: Route = {
  method: 'GET',
  path: '/reports/payments',
  operationId: 'exportPayments',
  summary: 'Payments created in a month (business time zone) as CSV: UTF-8 with BOM, amounts in major units with currency',
  scope: 'reports:read',
  query: z.object({ month }),
  responses: { 200: { description: 'text/csv; the same columns as /report export payments' } },
  async handle(ctx) {
    const reports = reportsOf(ctx);
    const m = parseMonth((ctx.query as { month: string }).month);
    if (!m) throw new ApiError(400, 'API.INVALID_REQUEST', { detail: 'query.month: a month YYYY-MM' }, [{ path: 'query.month', message: 'a month YYYY-MM' }]);
    const table = await ctx.deps.db.read((em) => paymentsExport(em, m, reports.timezone));
    const file = toCsv(table);
    return {
      status: 200,
      raw: file.data,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${file.name}"` },
    };
  },
};

const point = (p: CashPoint, currency: string) => ({ date: p.date, balance: toDecimalString({ minor: p.minor, currency }), balance_minor: p.minor.toString() });

const cashPositionJson: Route = {
  method: 'GET',
  path: '/reports/cash-position',
  operationId: 'cashPosition',
  summary: 'Cash position per currency: daily closing balances and the 30-day forecast the low-balance warning uses',
  scope: 'reports:read',
  query: z.object({ history: z.enum(['30', '90']).default('30') }),
  responses: { 200: { description: 'The series', schema: CashPositionJson } },
  async handle(ctx) {
    const p = await reportsOf(ctx).cash(Number((ctx.query as { history: string }).history));
    const body: z.infer<typeof CashPositionJson> = {
      as_of: p.asOf.toISOString(),
      today: p.today,
      history_days: p.historyDays,
      forecast_days: p.forecastDays,
      series: p.series.map((s) => ({
        currency: s.currency,
        today: toDecimalString({ minor: s.today, currency: s.currency }),
        threshold: s.threshold === undefined ? null : toDecimalString({ minor: s.threshold, currency: s.currency }),
        lowest: point(s.lowest, s.currency),
        history: s.history.map((x) => point(x, s.currency)),
        forecast: s.forecast.map((x) => point(x, s.currency)),
      })),
      accounts: p.accounts.map((a) => ({
        code: a.code, currency: a.currency, balance: toDecimalString({ minor: a.balance, currency: a.currency }),
        threshold: a.threshold === undefined ? null : toDecimalString({ minor: a.threshold, currency: a.currency }),
        lowest: point(a.lowest, a.currency), below_threshold_on: a.belowOn ?? null,
      })),
    };
    return { status: 200, body };
  },
};

export const reportRoutes: Route[] = [paymentsCsv, cashPositionJson];

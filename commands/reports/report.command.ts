import { t } from '../../src/domain/i18n';
import type { User } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import { addDays } from '../../src/domain/schedule';
import type { CashPosition } from '../../src/services/reports/cash-position';
import type { CashChartLabels } from '../../src/services/reports/render-cash-chart';
import type { ReportService } from '../../src/services/reports/report-service';
import type { ExtraCommandHandler } from '../command-context';
import type { Actor, ChatSurface } from '../contracts';
import { message, type CardView, type Reply } from '../view/view';
import { cashAltText, cashChartLabels, cashReportCard } from './cash-report.view';
import { dailySummaryCard } from './daily-summary.view';
import { parseReportCommand } from './parse-report-command';
import './report.messages';

export interface ReportCommandDeps {
  reports: ReportService;
  /** The running chat surfaces (shared list, filled as adapters start). */
  surfaces: ChatSurface[];
  timeZone: string;
  /** The PNG renderer (render-cash-chart.ts); injected so the command layer stays free of canvas. */
  renderChart: (p: CashPosition, labels: CashChartLabels) => Buffer;
  log: { warn(obj: object, msg: string): void };
}

const warn = (text: string, detail?: string[]): Reply => ({ visibility: 'ephemeral', view: message('warning', text, detail) });

/**
 * `/report …` (`/报表 …`, also `/pay report …`): the daily summary, the cash
 * chart and exports. Reading reports is for anyone in the directory (they
 * show what /balance and /pay list already do); exports only for admins,
 * treasurers and auditors, and only into the person's own DM.
 */
export function reportCommand(deps: ReportCommandDeps): ExtraCommandHandler {
  return async ({ actor, user, locale, args }) => {
    const parsed = parseReportCommand(args);
    if (!parsed.ok) return warn(t(locale, parsed.code, parsed.params), [t(locale, 'REPORT.USAGE')]);
    const cmd = parsed.command;
    switch (cmd.kind) {
      case 'help':
        return { visibility: 'ephemeral', view: message('info', t(locale, 'REPORT.USAGE')) };
      case 'daily': {
        const summary = await deps.reports.daily(cmd.date ?? addDays(deps.reports.today(), -1));
        return { visibility: 'ephemeral', view: dailySummaryCard(summary, locale) };
      }
      case 'cash':
        return cashReply(deps, actor, user, locale, cmd.historyDays);
      case 'export': {
        const r = await deps.reports.export(user, cmd.what, cmd.month);
        if (!r.ok) return warn(t(locale, r.code, r.params));
        const kind = t(locale, `REPORT.EXPORT.KIND.${cmd.what}`);
        const card: CardView = {
          kind: 'card', title: t(locale, 'REPORT.EXPORT.TITLE', { kind, month: r.value.month }),
          fields: [
            { label: t(locale, 'REPORT.EXPORT.ROWS'), value: String(r.value.rows) },
            { label: t(locale, 'REPORT.EXPORT.FILES'), value: r.value.files.map((f) => f.name).join('\n') },
          ],
          warnings: [], context: [t(locale, 'REPORT.EXPORT.NOTE')], buttons: [], files: r.value.files,
        };
        const sent = await deliver(deps, actor, { to: { user }, card });
        if (!sent || sent.files !== 'sent') return warn(t(locale, 'REPORT.EXPORT.FAILED'));
        return { visibility: 'ephemeral', view: message('good', t(locale, 'REPORT.EXPORT.SENT', { kind, month: r.value.month, rows: r.value.rows })) };
      }
    }
  };
}

/**
 * The chart answers inline in the playground. On Slack and Feishu a reply to
 * a command cannot carry an image, so the chart and its figures go to the
 * person's DM and the reply carries the figures (the text fallback).
 */
async function cashReply(deps: ReportCommandDeps, actor: Actor, user: User, locale: Locale, historyDays: number): Promise<Reply> {
  const position = await deps.reports.cash(historyDays);
  const card = cashReportCard(position, locale, deps.timeZone);
  const png = deps.renderChart(position, cashChartLabels(position, locale, deps.timeZone));
  const withImage: CardView = { ...card, image: { png, alt: cashAltText(position, locale), fileName: `paydesk-cash-${position.today}.png` } };
  if (actor.platform === 'web') return { visibility: 'ephemeral', view: withImage };
  const sent = await deliver(deps, actor, { to: { user }, card: withImage, imageFailedNote: t(locale, 'REPORT.CASH.UPLOAD_FAILED') });
  const note = sent?.image === 'uploaded' ? t(locale, 'REPORT.CASH.SENT_DM') : t(locale, 'REPORT.CASH.UPLOAD_FAILED');
  return { visibility: 'ephemeral', view: { ...card, context: [...card.context, note] } };
}

async function deliver(deps: ReportCommandDeps, actor: Actor, input: Parameters<NonNullable<ChatSurface['postReport']>>[0]) {
  const surface = deps.surfaces.find((s) => s.platform === actor.platform && s.postReport);
  if (!surface) return undefined;
  try {
    return await surface.postReport!(input);
  } catch (err) {
    deps.log.warn({ err, platform: actor.platform }, 'report delivery failed');
    return undefined;
  }
}

import type { User } from '../../domain/directory';
import { mayExport } from '../../domain/reports/report-access';
import { refuse, ok, type Result } from '../../domain/result';
import { addDays, localDateOf, type LocalDate } from '../../domain/schedule';
import type { Database } from '../../persistence/database';
import { appendAudit } from '../audit/audit-log';
import { backfillSnapshots, recordSnapshots } from './balance-snapshots';
import { isBusinessDay } from './business-day';
import { cashPosition, type CashPosition } from './cash-position';
import { dailySummary, type DailySummary } from './daily-summary.query';
import { auditExport, paymentsExport, toCsv, toXlsx, type ExportFile, type ExportKind } from './exports';
import { reportRoutes, type ReportRoute } from './report-routes';

export interface ReportServiceOptions {
  timezone: string;
  clock?: () => Date;
  /** Days of history the chart and backfill cover at most. */
  maxHistoryDays?: number;
}

export const FORECAST_DAYS = 30;

/** The reports' use cases over PostgreSQL: summaries, cash position, exports, snapshots, routes. */
export class ReportService {
  readonly timezone: string;
  readonly clock: () => Date;

  constructor(private readonly db: Database, opts: ReportServiceOptions) {
    this.timezone = opts.timezone;
    this.clock = opts.clock ?? (() => new Date());
  }

  today(): LocalDate {
    return localDateOf(this.clock(), this.timezone);
  }

  /** The summary of `date`, or of the days `from`…`date` (the scheduled post after a weekend or holiday). */
  async daily(date: LocalDate, from?: LocalDate): Promise<DailySummary> {
    const now = this.clock();
    await this.db.tx((em) => recordSnapshots(em, now, this.timezone));
    return this.db.read((em) => dailySummary(em, { date, ...(from ? { from } : {}), now, timezone: this.timezone }));
  }

  /**
   * The days the scheduled summary of `today` covers: from the previous
   * business day up to yesterday. Friday's post covered Thursday, so Monday's
   * covers Friday, Saturday and Sunday and nothing falls between two posts.
   */
  async coveredDays(today: LocalDate): Promise<{ from: LocalDate; to: LocalDate }> {
    const to = addDays(today, -1);
    let from = to;
    // At most two weeks back: a longer holiday run is a data error, not a reason to read a month.
    for (let i = 0; i < 14 && !(await this.isBusinessDay(from)); i++) from = addDays(from, -1);
    return { from, to };
  }

  async cash(historyDays: number, forecastDays = FORECAST_DAYS): Promise<CashPosition> {
    const now = this.clock();
    await this.db.tx((em) => recordSnapshots(em, now, this.timezone));
    return this.db.read((em) => cashPosition(em, { now, timezone: this.timezone, historyDays, forecastDays }));
  }

  /** Today's closing-so-far for every account (the hourly job). */
  recordSnapshots(): Promise<number> {
    return this.db.tx((em) => recordSnapshots(em, this.clock(), this.timezone));
  }

  /** History for days before paydesk kept snapshots (start-up); existing rows are left alone. */
  backfill(days: number): Promise<number> {
    return this.db.tx((em) => backfillSnapshots(em, this.clock(), this.timezone, days));
  }

  isBusinessDay(date: LocalDate): Promise<boolean> {
    return this.db.read((em) => isBusinessDay(em, date));
  }

  routes(): Promise<ReportRoute[]> {
    return this.db.read((em) => reportRoutes(em));
  }

  /**
   * Claims one delivery of a report to one route; false when it was already
   * delivered (a double fire, a second replica). Claimed before posting: a
   * crash between claim and post loses that one post rather than repeating it,
   * and the log says so.
   */
  claimDelivery(report: string, date: LocalDate, route: ReportRoute): Promise<boolean> {
    return this.db.tx(async (em) => {
      const rows = await em.execute(
        `insert into report_deliveries (report, report_date, platform, channel, delivered_at) values (?, ?, ?, ?, ?)
         on conflict do nothing returning report`,
        [report, date, route.platform, route.channel, this.clock()],
      );
      return rows.length > 0;
    });
  }

  /** Releases a claim whose post failed, so the next run tries again. */
  releaseDelivery(report: string, date: LocalDate, route: ReportRoute): Promise<void> {
    return this.db.tx(async (em) => {
      await em.execute(`delete from report_deliveries where report = ? and report_date = ? and platform = ? and channel = ?`, [
        report, date, route.platform, route.channel,
      ]);
    });
  }

  /**
   * A month of payments or audit events as CSV and XLSX, for admins,
   * treasurers and auditors only. Taking data out is itself audited.
   */
  async export(user: User, kind: ExportKind, month: { year: number; month: number }): Promise<Result<{ rows: number; month: string; files: ExportFile[] }>> {
    if (!mayExport(user)) return refuse('REPORT.EXPORT_NOT_ALLOWED');
    const table = await this.db.read((em) => (kind === 'payments' ? paymentsExport(em, month, this.timezone) : auditExport(em, month, this.timezone)));
    const files = [toCsv(table), await toXlsx(table)];
    await this.db.tx((em) =>
      appendAudit(em, {
        actor: `user:${user.handle}`, action: 'report.exported', subjectType: 'report', subjectId: `${kind}:${table.month}`,
        at: this.clock(), data: { kind, month: table.month, rows: table.rows.length },
      }),
    );
    return ok({ rows: table.rows.length, month: table.month, files });
  }
}

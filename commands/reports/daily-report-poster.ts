import type { LocalDate } from '../../src/domain/schedule';
import type { ReportService } from '../../src/services/reports/report-service';
import type { ChatSurface } from '../contracts';
import { dailySummaryCard } from './daily-summary.view';

export interface DailyRunOutcome {
  today: LocalDate;
  skipped?: 'not_business_day';
  from?: LocalDate;
  to?: LocalDate;
  posted: { platform: string; channel: string }[];
  failed: { platform: string; channel: string }[];
  /** Routes already posted today (a second fire, another replica) or whose platform is not running. */
  passed: { platform: string; channel: string; why: 'already_posted' | 'platform_off' }[];
}

/**
 * The scheduled daily treasury summary: on a business day, one card per
 * report route, in the route's language, covering the days since the previous
 * business day. Each route is claimed before posting (report_deliveries), so
 * two processes or a retried job post once; a failed post releases its claim
 * and the job's retry tries that route again.
 */
export class DailyReportPoster {
  constructor(
    private readonly deps: { reports: ReportService; surfaces: ChatSurface[]; log: { warn(o: object, m: string): void; info(o: object, m: string): void } },
  ) {}

  async run(): Promise<DailyRunOutcome> {
    const { reports } = this.deps;
    const today = reports.today();
    const out: DailyRunOutcome = { today, posted: [], failed: [], passed: [] };
    if (!(await reports.isBusinessDay(today))) return { ...out, skipped: 'not_business_day' };
    const { from, to } = await reports.coveredDays(today);
    const summary = await reports.daily(to, from);
    for (const route of await reports.routes()) {
      const where = { platform: route.platform, channel: route.channel };
      const surface = this.deps.surfaces.find((s) => s.platform === route.platform && s.postReport);
      if (!surface) {
        out.passed.push({ ...where, why: 'platform_off' });
        continue;
      }
      if (!(await reports.claimDelivery('daily', today, route))) {
        out.passed.push({ ...where, why: 'already_posted' });
        continue;
      }
      try {
        await surface.postReport!({ to: { channel: route.channel }, card: dailySummaryCard(summary, route.locale) });
        out.posted.push(where);
      } catch (err) {
        this.deps.log.warn({ err, ...where }, 'daily summary post failed; will retry');
        await reports.releaseDelivery('daily', today, route);
        out.failed.push(where);
      }
    }
    return { ...out, from, to };
  }
}

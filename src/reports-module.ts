import type { Agenda } from 'agenda';
import { DailyReportPoster } from '../commands/reports/daily-report-poster';
import { reportCommand } from '../commands/reports/report.command';
import type { ExtraCommandHandler } from '../commands/command-context';
import type { ChatSurface } from '../commands/contracts';
import type { AppConfig } from './config';
import { defineReportJobs } from './jobs/report-jobs';
import type { Logger } from './logger';
import type { Database } from './persistence/database';
import { renderCashChart } from './services/reports/render-cash-chart';
import { ReportService } from './services/reports/report-service';

/** Days of balance history rebuilt at start-up from stored payments and statements. */
const BACKFILL_DAYS = 90;

export interface Reports {
  service: ReportService;
  daily: DailyReportPoster;
  /** `/report` and `/报表` (top level) and `/pay report` (sub-command). */
  commands: Record<string, ExtraCommandHandler>;
  /** Backfills history, then defines the daily summary and snapshot jobs on the running scheduler. */
  start(agenda: Agenda): Promise<void>;
}

/** The reports feature (issue 17), wired in one place so the composition root only plugs it in. */
export function createReports(deps: { db: Database; config: AppConfig; log: Logger; surfaces: ChatSurface[]; clock?: () => Date }): Reports {
  const timezone = deps.config.timezone;
  const log = deps.log.child({ component: 'reports' });
  const service = new ReportService(deps.db, { timezone, ...(deps.clock ? { clock: deps.clock } : {}) });
  const daily = new DailyReportPoster({ reports: service, surfaces: deps.surfaces, log });
  const command = reportCommand({ reports: service, surfaces: deps.surfaces, timeZone: timezone, renderChart: renderCashChart, log });
  return {
    service,
    daily,
    commands: { report: command, 报表: command },
    async start(agenda) {
      const filled = await service.backfill(BACKFILL_DAYS);
      if (filled > 0) log.info({ filled }, 'balance history backfilled');
      await defineReportJobs(
        agenda,
        {
          postDaily: async () => {
            const r = await daily.run();
            return { failed: r.failed.length, posted: r.posted.length, ...(r.skipped ? { skipped: r.skipped } : {}) };
          },
          recordSnapshots: () => service.recordSnapshots(),
        },
        { dailyAt: deps.config.reports?.dailyAt ?? '09:00', timezone, log },
      );
    },
  };
}

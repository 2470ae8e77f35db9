import { randomUUID } from 'node:crypto';
import { isLocale, type Locale } from '../../domain/locale';
import type { Tx } from '../../persistence/database';

/** Where a report goes: a channel on one platform, read in one language. */
export interface ReportRoute {
  platform: string;
  channel: string;
  locale: Locale;
}

/**
 * The directory file's `reportRoutes` replace the stored ones as a whole: the
 * file is the source of truth, and a route removed from it must stop receiving
 * the treasury summary (unlike alert routes, nothing refers to a route's id).
 */
export async function applyReportRoutes(em: Tx, routes: ReportRoute[], report = 'daily'): Promise<void> {
  await em.execute(`delete from report_routes where report = ?`, [report]);
  for (const r of routes) {
    await em.execute(
      `insert into report_routes (id, report, platform, channel, locale) values (?, ?, ?, ?, ?)
       on conflict (report, platform, channel) do update set locale = excluded.locale`,
      [randomUUID(), report, r.platform, r.channel, r.locale],
    );
  }
}

export async function reportRoutes(em: Tx, report = 'daily'): Promise<ReportRoute[]> {
  const rows = await em.execute(`select platform, channel, locale from report_routes where report = ? order by platform, channel`, [report]);
  return rows.map((r: any) => ({ platform: r.platform, channel: r.channel, locale: isLocale(r.locale) ? r.locale : 'en' }));
}

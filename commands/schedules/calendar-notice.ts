import { registerCatalog, t } from '../../src/domain/i18n';
import type { Catalog } from '../../src/domain/locale';
import { directoryQuery } from '../../src/services/queries/directory.query';
import type { Database } from '../../src/persistence/database';
import type { ChatSurface } from '../contracts';
import { message } from '../view/view';

const calendarNoticeMessages: Catalog = {
  en: {
    'CALENDAR_NOTICE.PROVISIONAL':
      'The official holiday schedule for {years} is not loaded yet (paydesk’s holiday data ends with {last}). Until it is, {years} uses the statutory holidays only, with no 调休 make-up working days, and cards mark those dates provisional.',
    'CALENDAR_NOTICE.FIX':
      'Update paydesk (a newer chinese-days release), or enter the State Council’s schedule with /pay holidays add and /pay holidays workday, or in the directory YAML.',
  },
  'zh-CN': {
    'CALENDAR_NOTICE.PROVISIONAL':
      '{years} 年的官方节假日安排尚未载入（paydesk 的节假日数据截至 {last} 年）。在载入之前，{years} 年只按法定节假日计算，没有调休上班日，卡片上这些日期标为“暂定”。',
    'CALENDAR_NOTICE.FIX': '请升级 paydesk（更新的 chinese-days 版本），或用 /pay holidays add 与 /pay holidays workday 录入国务院的安排，也可写入目录 YAML。',
  },
};
registerCatalog(calendarNoticeMessages);

export interface CalendarNoticeDeps {
  db: Database;
  /** The shared list of chat surfaces (kept by reference). */
  surfaces: ChatSurface[];
  log: { error(obj: object, msg?: string): void };
}

/**
 * Tells every active admin, in their language, that the given years' calendar is
 * provisional. Run by the daily calendar-warning job (one replica, once a day); a
 * surface that fails is logged and the others still deliver.
 */
export async function noticeProvisionalCalendar(deps: CalendarNoticeDeps, years: number[], last: number): Promise<number> {
  if (years.length === 0) return 0;
  const admins = (await directoryQuery.users(deps.db)).filter((u) => u.active && u.roles.includes('admin'));
  const params = { years: years.join(', '), last };
  let sent = 0;
  await Promise.all(
    [...deps.surfaces].flatMap((s) =>
      admins.map(async (user) => {
        try {
          await s.notifyUser({
            user,
            view: (locale) => message('warning', t(locale, 'CALENDAR_NOTICE.PROVISIONAL', params), [t(locale, 'CALENDAR_NOTICE.FIX', params)]),
          });
          sent += 1;
        } catch (err) {
          deps.log.error({ err, platform: s.platform, user: user.handle }, 'calendar notice failed on one surface; others continue');
        }
      }),
    ),
  );
  return sent;
}

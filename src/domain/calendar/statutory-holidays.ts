import { LocalDate, addDays } from '../schedule/calendar';

/** Solar dates of the lunar festivals (and 清明, a solar term) in one Gregorian year. */
export interface LunarAnchors {
  /** 正月初一 */
  springFestival: LocalDate;
  /** 清明 solar term (4 or 5 April) */
  qingming: LocalDate;
  /** 五月初五 */
  dragonBoat: LocalDate;
  /** 八月十五 */
  midAutumn: LocalDate;
}

/**
 * The statutory public holidays of mainland China (全国年节及纪念日放假办法, as
 * revised in 2024: 13 days) for a year whose official schedule is not published
 * yet. Only the days the law fixes; the State Council's yearly notice adds
 * bridging days and 调休 make-up working days, which cannot be guessed, so a year
 * computed here is provisional.
 */
export function statutoryHolidays(year: number, a: LunarAnchors): ReadonlyMap<LocalDate, string> {
  const days = new Map<LocalDate, string>();
  const put = (date: LocalDate, name: string) => days.set(date, name);
  put(`${year}-01-01`, "New Year's Day,元旦");
  // 农历除夕、正月初一至初三
  for (let i = -1; i <= 2; i++) put(addDays(a.springFestival, i), 'Spring Festival,春节');
  put(a.qingming, 'Tomb-sweeping Day,清明');
  put(`${year}-05-01`, 'Labour Day,劳动节');
  put(`${year}-05-02`, 'Labour Day,劳动节');
  put(a.dragonBoat, 'Dragon Boat Festival,端午');
  put(a.midAutumn, 'Mid-autumn Festival,中秋');
  for (const d of ['01', '02', '03']) put(`${year}-10-${d}`, 'National Day,国庆节');
  return days;
}

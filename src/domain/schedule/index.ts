export type { LocalDate } from './calendar';
export { addDays, isLocalDate, isValidTimeZone, isWeekend, localDateOf, zonedInstant } from './calendar';
export type { Cadence } from './cadence';
export { DEFAULT_RUN_MINUTES, occursOn, parseCadence, runMinutes } from './cadence';
export type { CronCadence } from './cron';
export type { DueRun, ScheduleSpec } from './due-dates';
export { cursorAfter, dueRunsUntil, firstRunAfter, nextBusinessDay, nextDueDates, runIdempotencyKey, runPeriodsOf } from './due-dates';
export type { PaymentSchedule, ScheduleStatus, ScheduleTiming } from './schedule';
export {
  DEFAULT_SCHEDULE_TIMEZONE,
  SCHEDULE_STATUSES,
  formatScheduleReference,
  runAmount,
  scheduleTransition,
  specOf,
  validateTiming,
} from './schedule';
export { scheduleMessages } from './schedule.messages';

import type { Locale } from '../../src/domain/locale';
import { isPaymentStatus } from '../../src/domain/payment/payment-status';
import type { Refusal } from '../../src/domain/result';
import { SCHEDULE_STATUSES } from '../../src/domain/schedule';
import type { Database } from '../../src/persistence/database';
import type { ScheduleService } from '../../src/services/schedules/schedule-service';
import type { ChatSurface } from '../contracts';
import { MessageView, message } from '../view/view';
import { st } from './schedule-command.messages';
import { SCHEDULE_USAGE_KEYS, ScheduleUsageKey } from './schedule-command.types';

/** What `/pay schedule`, `/pay holidays` and the schedule buttons need. */
export interface ScheduleCommandDeps {
  schedules: ScheduleService;
  db: Database;
  /** Language for people without one of their own. */
  defaultLocale: Locale;
  /** IANA zone for "requested at" and "approved at" on cards (due dates use each schedule's zone). */
  timeZone?: string;
  /**
   * When given, approvers get a new schedule's card by direct message and
   * requesters hear the decision. Delivery happens after the reply, so a slow
   * platform never delays the command; failures are logged.
   */
  notify?: { surfaces: ChatSurface[]; log: { error(obj: object, msg?: string): void } };
}

const isScheduleStatus = (s: string): boolean => (SCHEDULE_STATUSES as readonly string[]).includes(s);

export const scheduleUsageLine = (locale: Locale, usage: ScheduleUsageKey): string =>
  `${st(locale, 'USAGE.LABEL')} ${st(locale, `SCHEDULE_USAGE.${usage}`)}`;

/**
 * A refusal as the user reads it. Schedule refusals carry raw statuses
 * ("paused"); people read the status word of the card.
 */
export function scheduleRefusal(locale: Locale, r: Pick<Refusal, 'code' | 'params'>, usage?: ScheduleUsageKey): MessageView {
  const params = { ...r.params };
  for (const k of ['status', 'from', 'to']) {
    const v = params[k];
    if (typeof v !== 'string') continue;
    if (isScheduleStatus(v) && (r.code.startsWith('SCHEDULE.') || !isPaymentStatus(v))) params[k] = st(locale, `SCHEDULE.STATUS.${v}`);
    else if (isPaymentStatus(v)) params[k] = st(locale, `STATUS.${v}`);
  }
  const text = st(locale, r.code, params);
  return usage ? message('warning', text, [scheduleUsageLine(locale, usage)]) : message('warning', text);
}

/** Every schedule command with its synopsis, then the cadences people may write and the rules. */
export function scheduleHelpView(locale: Locale): MessageView {
  const lines = SCHEDULE_USAGE_KEYS.map((k) => st(locale, `SCHEDULE_USAGE.${k}`));
  return message('info', st(locale, 'SCHEDULE_HELP.TITLE'), [
    ...lines,
    st(locale, 'SCHEDULE_HELP.CADENCES'),
    st(locale, 'SCHEDULE_HELP.RULES'),
    st(locale, 'SCHEDULE_HELP.EXAMPLES'),
  ]);
}

import { SCHEDULE_STATUSES, ScheduleStatus, formatScheduleReference, isLocalDate } from '../../src/domain/schedule';
import { scheduleMessages } from '../../src/domain/schedule/schedule.messages';
import { Token, joinTokens, normaliseInput, tokenize } from '../parse/tokenize';
import { parseNewSchedule } from './parse-new-schedule';
import type { ScheduleListFilter, ScheduleParseResult, ScheduleUsageKey } from './schedule-command.types';

type Sub = 'new' | 'list' | 'show' | 'pause' | 'resume' | 'cancel' | 'approve' | 'reject' | 'holidays' | 'help';

/** Sub-command words after `/pay schedule` (`/付款 定时`), both languages accepted everywhere. */
const SUBS: ReadonlyMap<string, Sub> = new Map([
  ['new', 'new'], ['create', 'new'], ['add', 'new'], ['新建', 'new'], ['创建', 'new'], ['新增', 'new'],
  ['list', 'list'], ['ls', 'list'], ['列表', 'list'],
  ['show', 'show'], ['view', 'show'], ['查看', 'show'],
  ['pause', 'pause'], ['暂停', 'pause'],
  ['resume', 'resume'], ['恢复', 'resume'], ['继续', 'resume'],
  ['cancel', 'cancel'], ['取消', 'cancel'], ['撤销', 'cancel'], ['终止', 'cancel'],
  ['approve', 'approve'], ['批准', 'approve'], ['同意', 'approve'],
  ['reject', 'reject'], ['驳回', 'reject'], ['拒绝', 'reject'],
  ['holidays', 'holidays'], ['holiday', 'holidays'], ['节假日', 'holidays'], ['假日', 'holidays'], ['假期', 'holidays'],
  ['help', 'help'], ['帮助', 'help'],
]);

const HOLIDAY_ACTIONS: ReadonlyMap<string, 'add' | 'remove' | 'list' | 'workday'> = new Map([
  ['add', 'add'], ['添加', 'add'], ['新增', 'add'], ['增加', 'add'],
  ['workday', 'workday'], ['working-day', 'workday'], ['makeup', 'workday'], ['工作日', 'workday'], ['补班', 'workday'], ['调休', 'workday'],
  ['remove', 'remove'], ['delete', 'remove'], ['rm', 'remove'], ['删除', 'remove'], ['移除', 'remove'],
  ['list', 'list'], ['列表', 'list'],
]);

// Status words as cards show them (from the domain catalog), so `/付款 定时 列表 已暂停` matches the card.
const LIST_FILTERS: ReadonlyMap<string, ScheduleListFilter> = new Map<string, ScheduleListFilter>([
  ...SCHEDULE_STATUSES.map((s): [string, ScheduleStatus] => [s, s]),
  ...SCHEDULE_STATUSES.map((s): [string, ScheduleStatus] => [scheduleMessages.en[`SCHEDULE.STATUS.${s}`].toLowerCase(), s]),
  ...SCHEDULE_STATUSES.map((s): [string, ScheduleStatus] => [scheduleMessages['zh-CN'][`SCHEDULE.STATUS.${s}`], s]),
  ['pending', 'pending_approval'], ['待审', 'pending_approval'],
  ['all', 'all'], ['全部', 'all'],
  ['mine', 'mine'], ['my', 'mine'], ['我的', 'mine'],
]);

/** `SCH-000012`, `sch-12`, `SCH12` → `SCH-000012`; the database holds the padded form. */
export const SCHEDULE_REF = /^SCH-?(\d{1,9})$/i;

const MAX_INPUT_LENGTH = 1000;

const fail = (code: string, usage: ScheduleUsageKey, params?: Record<string, string | number>): ScheduleParseResult =>
  params ? { ok: false, code, params, usage } : { ok: false, code, usage };

/**
 * What follows `/pay schedule` (`/付款 定时`) → a typed command, or a stable code
 * and the usage line to show. Pure: payee and account names are resolved later.
 */
export function parseScheduleCommand(args: string): ScheduleParseResult {
  const input = normaliseInput(typeof args === 'string' ? args : '');
  if (input.length > MAX_INPUT_LENGTH) return fail('COMMAND.TOO_LONG', 'schedule', { max: MAX_INPUT_LENGTH });
  const tokens = tokenize(input);
  if (tokens.length === 0) return { ok: true, command: { kind: 'help' } };
  const [first, ...rest] = tokens;
  const sub = first.quoted ? undefined : SUBS.get(first.text.toLowerCase());
  switch (sub) {
    case 'help':
      return { ok: true, command: { kind: 'help' } };
    case 'new':
      return parseNewSchedule(rest);
    case 'list':
      return parseList(rest);
    case 'show':
    case 'pause':
    case 'resume':
    case 'approve': {
      if (rest.length > 1) return fail('COMMAND.TOO_MANY_ARGS', sub, { extra: joinTokens(rest.slice(1)) });
      const ref = reference(rest[0], sub);
      return ref.ok ? { ok: true, command: { kind: sub, reference: ref.value } } : ref;
    }
    case 'cancel': {
      const ref = reference(rest[0], 'cancel');
      if (!ref.ok) return ref;
      const reason = joinTokens(rest.slice(1)).trim();
      if (reason.length > 500) return fail('COMMAND.REASON_TOO_LONG', 'cancel');
      return { ok: true, command: { kind: 'cancel', reference: ref.value, ...(reason ? { reason } : {}) } };
    }
    case 'reject': {
      const ref = reference(rest[0], 'reject');
      if (!ref.ok) return ref;
      const reason = joinTokens(rest.slice(1)).trim();
      if (!reason) return fail('SCHEDULE_CMD.MISSING_REASON', 'reject');
      if (reason.length > 500) return fail('COMMAND.REASON_TOO_LONG', 'reject');
      return { ok: true, command: { kind: 'reject', reference: ref.value, reason } };
    }
    case 'holidays':
      return parseHolidays(rest);
    default:
      return fail('SCHEDULE_CMD.UNKNOWN_SUBCOMMAND', 'schedule', { word: first.text });
  }
}

/** `/pay holidays …` on its own: the same grammar as `/pay schedule holidays …`. */
export function parseHolidayArgs(args: string): ScheduleParseResult {
  const input = normaliseInput(typeof args === 'string' ? args : '');
  if (input.length > MAX_INPUT_LENGTH) return fail('COMMAND.TOO_LONG', 'holidays', { max: MAX_INPUT_LENGTH });
  return parseHolidays(tokenize(input));
}

function reference(tk: Token | undefined, usage: ScheduleUsageKey): { ok: true; value: string } | ScheduleParseResult & { ok: false } {
  if (!tk || !tk.text.trim()) return { ok: false, code: 'SCHEDULE_CMD.MISSING_REF', usage };
  const m = SCHEDULE_REF.exec(tk.text.trim());
  if (!m) return { ok: false, code: 'SCHEDULE_CMD.BAD_REF', params: { ref: tk.text }, usage };
  return { ok: true, value: formatScheduleReference(BigInt(m[1])) };
}

function parseList(args: Token[]): ScheduleParseResult {
  const text = joinTokens(args).trim().toLowerCase().replace(/\s+/g, ' ');
  if (!text) return { ok: true, command: { kind: 'list', filter: 'live' } };
  const filter = LIST_FILTERS.get(text);
  return filter ? { ok: true, command: { kind: 'list', filter } } : fail('SCHEDULE_CMD.UNKNOWN_FILTER', 'list', { filter: text });
}

function parseHolidays(args: Token[]): ScheduleParseResult {
  if (args.length === 0) return { ok: true, command: { kind: 'holidays', action: 'list' } };
  const [first, ...rest] = args;
  // `/pay holidays 2027`: that year's calendar.
  if (args.length === 1 && /^\d{4}$/.test(first.text)) {
    const year = Number(first.text);
    if (year < 2004 || year > 2099) return fail('SCHEDULE_CMD.BAD_YEAR', 'holidays', { year: first.text });
    return { ok: true, command: { kind: 'holidays', action: 'list', year } };
  }
  const action = first.quoted ? undefined : HOLIDAY_ACTIONS.get(first.text.toLowerCase());
  if (!action) return fail('SCHEDULE_CMD.UNKNOWN_HOLIDAY_ACTION', 'holidays', { word: first.text });
  if (action === 'list') {
    if (rest.length > 0) return fail('COMMAND.TOO_MANY_ARGS', 'holidays', { extra: joinTokens(rest) });
    return { ok: true, command: { kind: 'holidays', action: 'list' } };
  }
  const date = rest[0]?.text;
  if (!date) return fail('SCHEDULE_CMD.MISSING_DATE', 'holidays');
  if (!isLocalDate(date)) return fail('SCHEDULE.BAD_DATE', 'holidays', { date });
  if (action === 'remove') {
    if (rest.length > 1) return fail('COMMAND.TOO_MANY_ARGS', 'holidays', { extra: joinTokens(rest.slice(1)) });
    return { ok: true, command: { kind: 'holidays', action: 'remove', date } };
  }
  const name = joinTokens(rest.slice(1)).trim();
  if (!name) return fail('SCHEDULE.HOLIDAY_NAME_REQUIRED', 'holidays');
  if (name.length > 100) return fail('COMMAND.NAME_TOO_LONG', 'holidays');
  return { ok: true, command: { kind: 'holidays', action, date, name } };
}

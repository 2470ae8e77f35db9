import type { ScheduleStatus } from '../../src/domain/schedule';
import type { AmountInput } from '../parse/command.schema';

/** Which usage line a parse error of `/pay schedule …` shows. */
export type ScheduleUsageKey =
  | 'schedule'
  | 'new'
  | 'list'
  | 'show'
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'approve'
  | 'reject'
  | 'holidays';

export const SCHEDULE_USAGE_KEYS: readonly Exclude<ScheduleUsageKey, 'schedule'>[] = [
  'new', 'list', 'show', 'pause', 'resume', 'cancel', 'approve', 'reject', 'holidays',
];

/** `/pay schedule new …` once its words are sorted; names are resolved later, against the directory. */
export interface NewScheduleCommand {
  kind: 'new';
  amount: AmountInput;
  payee: string;
  purpose: string;
  /** The cadence as parseCadence accepted it (`monthly on day 25`, `every friday`, `0 9 25 * *`, `每周五`). */
  cadence: string;
  account?: string;
  startDate?: string;
  endDate?: string;
  maxRuns?: number;
  timezone?: string;
  /** `combine` (合并): cadence dates rolled onto one business day are one payment for the sum. */
  combine?: true;
}

/** `live` = pending approval, active or paused: what still may pay. */
export type ScheduleListFilter = 'live' | 'all' | 'mine' | ScheduleStatus;

export type ScheduleCommand =
  | NewScheduleCommand
  | { kind: 'list'; filter: ScheduleListFilter }
  | { kind: 'show' | 'pause' | 'resume' | 'approve'; reference: string }
  | { kind: 'cancel'; reference: string; reason?: string }
  | { kind: 'reject'; reference: string; reason: string }
  | { kind: 'holidays'; action: 'list'; year?: number }
  | { kind: 'holidays'; action: 'add' | 'workday'; date: string; name: string }
  | { kind: 'holidays'; action: 'remove'; date: string }
  | { kind: 'help' };

export type ScheduleParseError = { ok: false; code: string; params?: Record<string, string | number>; usage: ScheduleUsageKey };
export type ScheduleParseResult = { ok: true; command: ScheduleCommand } | ScheduleParseError;

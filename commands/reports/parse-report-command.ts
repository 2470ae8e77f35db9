import { parseMonth } from '../../src/domain/reports/report-access';
import { isLocalDate } from '../../src/domain/schedule';

export type ReportCommand =
  | { kind: 'daily'; date?: string }
  | { kind: 'cash'; historyDays: 30 | 90 }
  | { kind: 'export'; what: 'payments' | 'audit'; month: { year: number; month: number } }
  | { kind: 'help' };

export type ParsedReport = { ok: true; command: ReportCommand } | { ok: false; code: string; params?: Record<string, string> };

const WORDS: Record<string, 'daily' | 'cash' | 'export' | 'help'> = {
  daily: 'daily', 日报: 'daily', cash: 'cash', 资金: 'cash', export: 'export', 导出: 'export', help: 'help', 帮助: 'help',
};
const EXPORTS: Record<string, 'payments' | 'audit'> = { payments: 'payments', 付款: 'payments', audit: 'audit', 审计: 'audit' };
const RANGES: Record<string, 30 | 90> = { '30d': 30, '30': 30, '30天': 30, '90d': 90, '90': 90, '90天': 90 };

/** `/report` arguments (after the command word): `daily [date]`, `cash [30d|90d]`, `export payments|audit YYYY-MM`. */
export function parseReportCommand(args: string): ParsedReport {
  const [word, ...rest] = args.trim().split(/\s+/).filter(Boolean);
  const kind = word === undefined ? 'daily' : WORDS[word.toLowerCase()];
  if (!kind) return { ok: false, code: 'REPORT.UNKNOWN', params: { word: word.slice(0, 40) } };
  switch (kind) {
    case 'help':
      return { ok: true, command: { kind: 'help' } };
    case 'daily': {
      const date = rest[0];
      if (date !== undefined && !isLocalDate(date)) return { ok: false, code: 'REPORT.BAD_DATE', params: { date: date.slice(0, 40) } };
      return { ok: true, command: date ? { kind: 'daily', date } : { kind: 'daily' } };
    }
    case 'cash': {
      const range = rest[0] === undefined ? 30 : RANGES[rest[0].toLowerCase()];
      if (!range) return { ok: false, code: 'REPORT.BAD_RANGE', params: { range: rest[0].slice(0, 40) } };
      return { ok: true, command: { kind: 'cash', historyDays: range } };
    }
    case 'export': {
      const what = EXPORTS[(rest[0] ?? '').toLowerCase()];
      if (!what) return { ok: false, code: 'REPORT.BAD_EXPORT', params: { kind: (rest[0] ?? '').slice(0, 40) } };
      const month = parseMonth(rest[1]);
      if (!month) return { ok: false, code: 'REPORT.BAD_MONTH', params: { month: (rest[1] ?? '').slice(0, 40) } };
      return { ok: true, command: { kind: 'export', what, month } };
    }
  }
}

import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { maskAccountNumber } from '../../domain/mask';
import { currencyInfo, toDecimalString } from '../../domain/money';
import { monthLabel } from '../../domain/reports/report-access';
import { zonedInstant, type LocalDate } from '../../domain/schedule';
import type { Tx } from '../../persistence/database';

export type ExportKind = 'payments' | 'audit';

/** A table ready for CSV and XLSX: header names, and rows of cells. */
export interface ExportTable {
  kind: ExportKind;
  month: string;
  columns: string[];
  /** Amount columns: written as numbers in XLSX (when exact), always as decimal text in CSV. */
  amountColumns: string[];
  rows: Record<string, string>[];
}

export interface ExportFile {
  name: string;
  mime: string;
  data: Buffer;
}

export const PAYMENT_COLUMNS = [
  'reference', 'created_at', 'status', 'amount', 'currency', 'debtor_account', 'debtor_bank', 'payee', 'payee_account',
  'purpose', 'requested_by', 'source', 'execution_date', 'decided_at', 'final_at', 'end_to_end_id', 'bank_status',
] as const;
export const AUDIT_COLUMNS = ['seq', 'at', 'actor', 'action', 'subject_type', 'subject_id', 'data', 'hash'] as const;

function monthRange(month: { year: number; month: number }, timezone: string): { from: Date; to: Date } {
  const first: LocalDate = `${monthLabel(month)}-01`;
  const next = month.month === 12 ? `${month.year + 1}-01-01` : `${monthLabel({ year: month.year, month: month.month + 1 })}-01`;
  return { from: zonedInstant(first, 0, timezone), to: zonedInstant(next, 0, timezone) };
}

/** Local wall time, ISO-like, so a spreadsheet sorts it and a person reads the business day. */
function localTime(d: Date | null | undefined, timezone: string): string {
  if (!d) return '';
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return f.format(new Date(d));
}

/** Payments created in the month (business time zone), oldest first; amounts in major units with their currency. */
export async function paymentsExport(em: Tx, month: { year: number; month: number }, timezone: string): Promise<ExportTable> {
  const { from, to } = monthRange(month, timezone);
  const rows = await em.execute(
    `select p.reference, p.created_at, p.status, p.amount_minor::text as minor, p.currency, a.code as account, a.bank_name,
            y.name as payee, y.account_number as payee_account, p.purpose, coalesce(u.name, p.requested_by) as requested_by,
            p.source, p.execution_date::text as execution_date, p.decided_at, p.final_at, p.end_to_end_id, p.bank_status
       from payments p join bank_accounts a on a.id = p.debtor_account_id join payees y on y.id = p.payee_id
       left join users u on u.id = p.requester_id
      where p.created_at >= ? and p.created_at < ? order by p.created_at, p.reference`,
    [from, to],
  );
  return {
    kind: 'payments',
    month: monthLabel(month),
    columns: [...PAYMENT_COLUMNS],
    amountColumns: ['amount'],
    rows: rows.map((r: any) => {
      const currency = String(r.currency).trim();
      return {
        reference: r.reference, created_at: localTime(r.created_at, timezone), status: r.status,
        amount: toDecimalString({ minor: BigInt(r.minor), currency }), currency,
        debtor_account: r.account, debtor_bank: r.bank_name, payee: r.payee, payee_account: maskAccountNumber(r.payee_account),
        purpose: r.purpose, requested_by: r.requested_by, source: r.source, execution_date: r.execution_date ?? '',
        decided_at: localTime(r.decided_at, timezone), final_at: localTime(r.final_at, timezone), end_to_end_id: r.end_to_end_id,
        bank_status: r.bank_status ?? '',
      };
    }),
  };
}

/** The audit chain for the month, with each event's hash so an auditor can check it against `verify`. */
export async function auditExport(em: Tx, month: { year: number; month: number }, timezone: string): Promise<ExportTable> {
  const { from, to } = monthRange(month, timezone);
  const rows = await em.execute(
    `select seq::text as seq, at, actor, action, subject_type, subject_id, data::text as data, hash
       from audit_events where at >= ? and at < ? order by seq`,
    [from, to],
  );
  return {
    kind: 'audit',
    month: monthLabel(month),
    columns: [...AUDIT_COLUMNS],
    amountColumns: [],
    rows: rows.map((r: any) => ({ ...r, at: localTime(r.at, timezone), hash: String(r.hash).trim() })),
  };
}

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @) gets a leading
 * apostrophe: purposes and payee names are typed by people and ERPs.
 */
const defuse = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** UTF-8 with a BOM, so Excel in Chinese opens 阿克米 as text and not as mojibake. */
export function toCsv(t: ExportTable): ExportFile {
  const body = stringify(
    t.rows.map((r) => t.columns.map((c) => (t.amountColumns.includes(c) ? r[c] : defuse(r[c] ?? '')))),
    { bom: true, header: true, columns: t.columns, record_delimiter: 'windows' },
  );
  return { name: `paydesk-${t.kind}-${t.month}.csv`, mime: 'text/csv', data: Buffer.from(body, 'utf8') };
}

/** Doubles hold 15 significant digits exactly; bigger amounts stay text rather than be rounded. */
const exactAsNumber = (decimal: string): boolean => decimal.replace(/[^0-9]/g, '').replace(/^0+/, '').length <= 15;

export async function toXlsx(t: ExportTable, currencyColumn = 'currency'): Promise<ExportFile> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'paydesk';
  const ws = wb.addWorksheet(`${t.kind} ${t.month}`);
  ws.columns = t.columns.map((c) => ({ header: c, key: c, width: Math.max(12, c.length + 2) }));
  for (const r of t.rows) {
    const row = ws.addRow(t.columns.map((c) => {
      const v = r[c] ?? '';
      // Account numbers, references and hashes stay text: Excel would round 6222021234567890123.
      if (t.amountColumns.includes(c) && exactAsNumber(v)) return Number(v);
      return v;
    }));
    for (const c of t.amountColumns) {
      const decimals = currencyInfo(r[currencyColumn] ?? '')?.decimals ?? 2;
      row.getCell(t.columns.indexOf(c) + 1).numFmt = decimals === 0 ? '#,##0' : `#,##0.${'0'.repeat(decimals)}`;
    }
  }
  ws.getRow(1).font = { bold: true };
  const data = Buffer.from(await wb.xlsx.writeBuffer());
  return { name: `paydesk-${t.kind}-${t.month}.xlsx`, mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data };
}


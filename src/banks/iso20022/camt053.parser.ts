import { fromDecimalString } from '../../domain/money/money';
import type { Money } from '../../domain/money/money';
import type { BankStatement, StatementLine } from '../../services/reconciliation/reconciliation.types';
import { MalformedFileError, at, documentOf, isoDate, list, need, needText, parseXml, text } from './xml-read';

export type { StatementLine };
export type Camt053Statement = BankStatement;

function amountOf(node: unknown, where: string, currency?: string): Money {
  const value = text(node);
  const ccy = (node as Record<string, string> | undefined)?.['@_Ccy'];
  if (!value || !ccy) throw new MalformedFileError(`${where}: amount without value or Ccy`);
  if (currency && ccy !== currency) throw new MalformedFileError(`${where}: amount in ${ccy}, account is ${currency}`);
  const m = fromDecimalString(value, ccy);
  if (!m.ok || m.value.minor < 0n) throw new MalformedFileError(`${where}: bad amount ${value} ${ccy}`);
  return m.value;
}

function creditDebit(node: unknown, where: string): 'CRDT' | 'DBIT' {
  const v = text(at(node, 'CdtDbtInd'));
  if (v !== 'CRDT' && v !== 'DBIT') throw new MalformedFileError(`${where}: CdtDbtInd must be CRDT or DBIT`);
  return v;
}

const accountId = (acct: unknown): string | undefined => text(at(acct, 'Id.IBAN')) ?? text(at(acct, 'Id.Othr.Id'));
// camt.053.001.02 has <Cdtr><Nm>, .001.08 wraps the party: <Cdtr><Pty><Nm>.
const partyName = (p: unknown): string | undefined => text(at(p, 'Pty.Nm')) ?? text(at(p, 'Nm'));
// .02 says <Sts>BOOK</Sts>, .08 says <Sts><Cd>BOOK</Cd></Sts>.
const entryStatus = (n: unknown): string | undefined => text(at(n, 'Sts.Cd')) ?? text(at(n, 'Sts'));
const dateOf = (n: unknown, where: string): string => {
  const d = text(at(n, 'Dt')) ?? text(at(n, 'DtTm'));
  if (!d) throw new MalformedFileError(`${where}: no Dt`);
  return isoDate(d, where);
};

function closingBalance(stmt: unknown, currency: string): Camt053Statement['closingBalance'] {
  const bal = list(at(stmt, 'Bal')).find((b) => (text(at(b, 'Tp.CdOrPrtry.Cd')) ?? text(at(b, 'Tp.CdOrPrtry.Prtry'))) === 'CLBD');
  if (!bal) return undefined;
  const amount = amountOf(need(bal, 'Amt', 'Bal CLBD'), 'Bal CLBD', currency);
  const signed = creditDebit(bal, 'Bal CLBD') === 'DBIT' ? -amount.minor : amount.minor;
  const dtTm = text(at(bal, 'Dt.DtTm'));
  // A closing balance with only a date holds at the end of that day.
  const asOf = dtTm ? new Date(dtTm) : new Date(`${dateOf(need(bal, 'Dt', 'Bal CLBD'), 'Bal CLBD')}T23:59:59.999Z`);
  if (Number.isNaN(asOf.getTime())) throw new MalformedFileError(`Bal CLBD: bad date ${dtTm}`);
  return { amount: { minor: signed, currency }, asOf };
}

function linesOf(entry: unknown, index: number, currency: string, first: number): StatementLine[] {
  const where = `Ntry[${index}]`;
  const amount = amountOf(need(entry, 'Amt', where), where, currency);
  const cd = creditDebit(entry, where);
  const bookingDate = dateOf(need(entry, 'BookgDt', where), `${where}.BookgDt`);
  const entryRef = text(at(entry, 'NtryRef')) ?? text(at(entry, 'AcctSvcrRef'));
  const txs = list(at(entry, 'NtryDtls')).flatMap((d) => list(at(d, 'TxDtls')));
  const details = txs.length > 0 ? txs : [undefined];
  const lines = details.map((tx, j): StatementLine => {
    const txAmt = tx && (at(tx, 'Amt') ?? at(tx, 'AmtDtls.TxAmt.Amt'));
    if (details.length > 1 && !txAmt) throw new MalformedFileError(`${where}.TxDtls[${j}]: batch entry without per-transaction amount`);
    const counterparty = cd === 'DBIT' ? 'Cdtr' : 'Dbtr';
    const e2e = tx && text(at(tx, 'Refs.EndToEndId'));
    const remittance = tx && list(at(tx, 'RmtInf.Ustrd')).map(text).filter(Boolean).join(' ');
    return {
      line: first + j,
      ...(entryRef ? { entryRef } : {}),
      // NOTPROVIDED is the ISO placeholder for "no end-to-end id".
      ...(e2e && e2e !== 'NOTPROVIDED' ? { endToEndId: e2e } : {}),
      creditDebit: cd,
      amount: txAmt ? amountOf(txAmt, `${where}.TxDtls[${j}]`, currency) : amount,
      bookingDate,
      ...optional('counterpartyName', tx && partyName(at(tx, `RltdPties.${counterparty}`))),
      ...optional('counterpartyAccount', tx && accountId(at(tx, `RltdPties.${counterparty}Acct`))),
      ...optional('remittance', remittance || undefined),
    };
  });
  const total = lines.reduce((s, l) => s + l.amount.minor, 0n);
  if (total !== amount.minor) throw new MalformedFileError(`${where}: transaction amounts add up to ${total}, entry says ${amount.minor}`);
  return lines;
}

const optional = <K extends string>(k: K, v: string | undefined) => (v ? ({ [k]: v } as Record<K, string>) : {});

/** Reads a BankToCustomerStatement (camt.053.001.02 … .08): booked entries and the closing balance. */
export function parseCamt053(xml: string): Camt053Statement[] {
  const doc = parseXml(xml);
  const root = at(documentOf(doc), 'BkToCstmrStmt');
  if (!root) throw new MalformedFileError('not a camt.053 BkToCstmrStmt document');
  const messageId = needText(root, 'GrpHdr.MsgId', 'camt.053');
  const stmts = list(at(root, 'Stmt'));
  if (stmts.length === 0) throw new MalformedFileError('camt.053 has no Stmt');
  return stmts.map((stmt, s) => {
    const where = `Stmt[${s}]`;
    const statementId = needText(stmt, 'Id', where);
    const acct = need(stmt, 'Acct', where);
    const accountNumber = accountId(acct);
    if (!accountNumber) throw new MalformedFileError(`${where}: Acct has no Id`);
    const currency = text(at(acct, 'Ccy')) ?? (list(at(stmt, 'Bal'))[0]?.Amt?.['@_Ccy'] as string | undefined);
    if (!currency) throw new MalformedFileError(`${where}: no account currency`);
    const created = text(at(stmt, 'CreDtTm'));
    let next = 1;
    const lines: StatementLine[] = [];
    for (const [i, entry] of list(at(stmt, 'Ntry')).entries()) {
      // Pending and information-only entries are not money moved yet; only BOOK reconciles.
      const sts = entryStatus(entry);
      if (sts === undefined) throw new MalformedFileError(`${where}.Ntry[${i}]: no Sts`);
      if (sts !== 'BOOK') continue;
      const ls = linesOf(entry, i, currency, next);
      if (text(at(entry, 'RvslInd')) === 'true') for (const l of ls) l.reversal = true;
      next += ls.length;
      lines.push(...ls);
    }
    return {
      messageId,
      statementId,
      accountNumber: accountNumber.replace(/\s/g, ''),
      currency,
      ...(created && !Number.isNaN(new Date(created).getTime()) ? { createdAt: new Date(created) } : {}),
      closingBalance: closingBalance(stmt, currency),
      lines,
    };
  });
}

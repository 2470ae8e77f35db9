import type { StatusReport } from '../../services/reconciliation/reconciliation.types';
import { MalformedFileError, at, documentOf, list, needText, parseXml, text } from './xml-read';

/**
 * ExternalPaymentTransactionStatus1Code is an external code list that grows (ACFC,
 * ACIS, BLCK, …): a code we have no meaning for is kept and shown as the code,
 * never a reason to refuse the whole file. Only something that is not a code at
 * all (four letters or digits) is malformed.
 */
const CODE = /^[A-Z0-9]{4}$/;

type StatusLine = StatusReport['transactions'][number];
export type Pain002Report = StatusReport;

function reasonOf(node: unknown): string | undefined {
  const info = list(at(node, 'StsRsnInf'))[0];
  if (!info) return undefined;
  const code = text(at(info, 'Rsn.Cd')) ?? text(at(info, 'Rsn.Prtry'));
  const words = list(at(info, 'AddtlInf')).map(text).filter(Boolean).join(' ');
  return [code, words].filter(Boolean).join(' ') || undefined;
}

function status(s: string | undefined, where: string): string | undefined {
  if (s === undefined) return undefined;
  if (!CODE.test(s)) throw new MalformedFileError(`${where}: ${JSON.stringify(s)} is not a status code`);
  return s;
}

/** Reads a CustomerPaymentStatusReport (pain.002.001.03 … .10 share these elements). */
export function parsePain002(xml: string): Pain002Report {
  const rpt = at(documentOf(parseXml(xml)), 'CstmrPmtStsRpt');
  if (!rpt) throw new MalformedFileError('not a pain.002 CstmrPmtStsRpt document');
  const messageId = needText(rpt, 'GrpHdr.MsgId', 'pain.002');
  const originalMessageId = needText(rpt, 'OrgnlGrpInfAndSts.OrgnlMsgId', 'pain.002');
  const groupStatus = status(text(at(rpt, 'OrgnlGrpInfAndSts.GrpSts')), 'OrgnlGrpInfAndSts');
  const transactions: StatusLine[] = [];
  for (const [i, pmt] of list(at(rpt, 'OrgnlPmtInfAndSts')).entries()) {
    const pmtStatus = status(text(at(pmt, 'PmtInfSts')), `OrgnlPmtInfAndSts[${i}]`);
    for (const [j, tx] of list(at(pmt, 'TxInfAndSts')).entries()) {
      const where = `OrgnlPmtInfAndSts[${i}].TxInfAndSts[${j}]`;
      const endToEndId = needText(tx, 'OrgnlEndToEndId', where);
      // A transaction without its own status inherits its payment block's.
      const s = status(text(at(tx, 'TxSts')), where) ?? pmtStatus;
      if (!s) throw new MalformedFileError(`${where}: no TxSts`);
      const reason = reasonOf(tx) ?? (s === pmtStatus ? reasonOf(pmt) : undefined);
      transactions.push({ endToEndId, status: s, ...(reason ? { reason } : {}) });
    }
  }
  if (transactions.length === 0 && !groupStatus) throw new MalformedFileError('pain.002 reports no status at all');
  const groupReason = reasonOf(at(rpt, 'OrgnlGrpInfAndSts'));
  return { messageId, originalMessageId, ...(groupStatus ? { groupStatus } : {}), ...(groupReason ? { groupReason } : {}), transactions };
}

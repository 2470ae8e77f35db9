import { XMLBuilder } from 'fast-xml-parser';
import { toDecimalString } from '../../domain/money/money';
import type { Money } from '../../domain/money/money';

export const PAIN001_NS = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/** A party's bank details as they go into the file. */
export interface FileParty {
  name: string;
  accountNumber: string;
  bankName: string;
  bic?: string;
}

export interface Pain001Transaction {
  endToEndId: string;
  /** Our payment reference, sent as InstrId so bank reports can be read by people too. */
  instructionId: string;
  amount: Money;
  creditor: FileParty;
  remittance: string;
}

/** One message = one debtor account, one execution date (one PmtInf block). */
export interface Pain001Message {
  messageId: string;
  createdAt: Date;
  initiatingParty: string;
  debtor: FileParty;
  currency: string;
  executionDate: string;
  transactions: readonly Pain001Transaction[];
}

// ISO 20022 text fields are Max35Text/Max70Text/Max140Text; banks reject longer values.
const max = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s);
const isIban = (s: string) => /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(s.replace(/\s/g, ''));

function account(accountNumber: string, currency?: string) {
  const id = accountNumber.replace(/\s/g, '');
  return { Id: isIban(id) ? { IBAN: id } : { Othr: { Id: max(id, 34) } }, ...(currency ? { Ccy: currency } : {}) };
}

function agent(p: FileParty) {
  return { FinInstnId: p.bic ? { BICFI: p.bic } : { Nm: max(p.bankName, 140) } };
}

/** ISODateTime with an explicit offset; banks' validators refuse local times without one. */
const isoDateTime = (d: Date) => `${d.toISOString().slice(0, 19)}+00:00`;

function sum(txs: readonly Pain001Transaction[], currency: string): Money {
  return { minor: txs.reduce((acc, t) => acc + t.amount.minor, 0n), currency };
}

/**
 * A pain.001.001.09 CustomerCreditTransferInitiation. Element order follows the
 * XSD sequence (objects keep insertion order; arrays repeat an element), and the
 * same message always renders to the same bytes, so rewriting a file is safe.
 */
export function buildPain001(m: Pain001Message): string {
  if (m.transactions.length === 0) throw new Error('pain.001 needs at least one transaction');
  for (const t of m.transactions)
    if (t.amount.currency !== m.currency) throw new Error(`pain.001 ${m.messageId}: ${t.endToEndId} is ${t.amount.currency}, batch is ${m.currency}`);
  const nbOfTxs = String(m.transactions.length);
  const ctrlSum = toDecimalString(sum(m.transactions, m.currency));
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Document: {
      '@_xmlns': PAIN001_NS,
      CstmrCdtTrfInitn: {
        GrpHdr: {
          MsgId: m.messageId,
          CreDtTm: isoDateTime(m.createdAt),
          NbOfTxs: nbOfTxs,
          CtrlSum: ctrlSum,
          InitgPty: { Nm: max(m.initiatingParty, 140) },
        },
        PmtInf: {
          PmtInfId: m.messageId,
          PmtMtd: 'TRF',
          BtchBookg: 'false',
          NbOfTxs: nbOfTxs,
          CtrlSum: ctrlSum,
          ReqdExctnDt: { Dt: m.executionDate },
          Dbtr: { Nm: max(m.debtor.name, 140) },
          DbtrAcct: account(m.debtor.accountNumber, m.currency),
          DbtrAgt: agent(m.debtor),
          CdtTrfTxInf: m.transactions.map((t) => ({
            PmtId: { InstrId: max(t.instructionId, 35), EndToEndId: t.endToEndId },
            Amt: { InstdAmt: { '@_Ccy': t.amount.currency, '#text': toDecimalString(t.amount) } },
            CdtrAgt: agent(t.creditor),
            Cdtr: { Nm: max(t.creditor.name, 140) },
            CdtrAcct: account(t.creditor.accountNumber),
            RmtInf: { Ustrd: max(t.remittance, 140) },
          })),
        },
      },
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: true,
    processEntities: true,
  });
  return builder.build(doc);
}

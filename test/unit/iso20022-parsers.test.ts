import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCamt053 } from '../../src/banks/iso20022/camt053.parser';
import { parsePain002 } from '../../src/banks/iso20022/pain002.parser';
import { MalformedFileError } from '../../src/banks/iso20022/xml-read';

const fixture = (name: string) => readFileSync(path.resolve(__dirname, '../fixtures/iso20022', name), 'utf8');

describe('pain.002', () => {
  test('reads transaction statuses with reasons', () => {
    expect(parsePain002(fixture('pain002.xml'))).toEqual({
      messageId: 'CMB-STS-20261201-0001',
      originalMessageId: 'PD2026120100000001',
      groupStatus: 'PART',
      transactions: [
        { endToEndId: 'PDPAY2026000001', status: 'ACSC' },
        { endToEndId: 'PDPAY2026000002', status: 'RJCT', reason: 'AC04 Creditor account closed' },
      ],
    });
  });

  test('a group-level rejection with no transaction lines is kept for the whole message', () => {
    const xml = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
      <GrpHdr><MsgId>R1</MsgId></GrpHdr>
      <OrgnlGrpInfAndSts><OrgnlMsgId>PD1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>RJCT</GrpSts>
        <StsRsnInf><Rsn><Cd>FF01</Cd></Rsn><AddtlInf>Invalid file format</AddtlInf></StsRsnInf></OrgnlGrpInfAndSts>
    </CstmrPmtStsRpt></Document>`;
    expect(parsePain002(xml)).toEqual({
      messageId: 'R1', originalMessageId: 'PD1', groupStatus: 'RJCT', groupReason: 'FF01 Invalid file format', transactions: [],
    });
  });

  test('a transaction without TxSts inherits its payment block status', () => {
    const xml = `<Document><CstmrPmtStsRpt><GrpHdr><MsgId>R2</MsgId></GrpHdr>
      <OrgnlGrpInfAndSts><OrgnlMsgId>PD1</OrgnlMsgId></OrgnlGrpInfAndSts>
      <OrgnlPmtInfAndSts><OrgnlPmtInfId>PD1</OrgnlPmtInfId><PmtInfSts>ACSP</PmtInfSts>
        <TxInfAndSts><OrgnlEndToEndId>E1</OrgnlEndToEndId></TxInfAndSts></OrgnlPmtInfAndSts>
    </CstmrPmtStsRpt></Document>`;
    expect(parsePain002(xml).transactions).toEqual([{ endToEndId: 'E1', status: 'ACSP' }]);
  });

  test.each([
    ['not XML at all', 'hello', /not well-formed/],
    ['another message', '<Document><BkToCstmrStmt/></Document>', /not a pain.002/],
    ['no original message id', '<Document><CstmrPmtStsRpt><GrpHdr><MsgId>R</MsgId></GrpHdr></CstmrPmtStsRpt></Document>', /OrgnlMsgId/],
    ['a status that is not a code at all', fixture('pain002.xml').replace('<TxSts>ACSC</TxSts>', '<TxSts>done!</TxSts>'), /"done!" is not a status code/],
    ['a DOCTYPE (entity tricks)', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document/>`, /DOCTYPE/],
  ])('refuses %s', (_what, xml, message) => {
    expect(() => parsePain002(xml)).toThrow(MalformedFileError);
    expect(() => parsePain002(xml)).toThrow(message);
  });
});

describe('pain.002 from real banks', () => {
  test('a status code outside the ones paydesk knows (ACFC) is kept as the code, not a reason to refuse the file', () => {
    const xml = fixture('pain002.xml').replace('<TxSts>ACSC</TxSts>', '<TxSts>ACFC</TxSts>');
    expect(parsePain002(xml).transactions[0]).toEqual({ endToEndId: 'PDPAY2026000001', status: 'ACFC' });
  });

  test('a file with a Business Application Header (AppHdr + Document under an envelope) reads like a bare Document', () => {
    const bare = fixture('pain002.xml').replace(/^<\?xml[^>]*>/, '').replace(/<!--[\s\S]*?-->/, '');
    const wrapped = `<?xml version="1.0" encoding="UTF-8"?>
      <BizMsgEnvlp xmlns="urn:iso:std:iso:20022:tech:xsd:nvlp.001.001.01">
        <AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02">
          <Fr><FIId><FinInstnId><BICFI>CMBCCNBS</BICFI></FinInstnId></FIId></Fr>
          <To><OrgId><Id><OrgId><AnyBIC>DEMOCNSH</AnyBIC></OrgId></Id></OrgId></To>
          <BizMsgIdr>CMB-STS-20261201-0001</BizMsgIdr><MsgDefIdr>pain.002.001.10</MsgDefIdr><CreDt>2026-12-01T07:20:00Z</CreDt>
        </AppHdr>
        ${bare}
      </BizMsgEnvlp>`;
    expect(parsePain002(wrapped)).toEqual(parsePain002(fixture('pain002.xml')));
  });

  test('a camt.053 wrapped with AppHdr reads too', () => {
    const bare = fixture('camt053.xml').replace(/^<\?xml[^>]*>/, '').replace(/<!--[\s\S]*?-->/g, '');
    const wrapped = `<Message><AppHdr><BizMsgIdr>X</BizMsgIdr><MsgDefIdr>camt.053.001.08</MsgDefIdr></AppHdr>${bare}</Message>`;
    expect(parseCamt053(wrapped)).toEqual(parseCamt053(fixture('camt053.xml')));
  });

  test('two root-level Documents are not guessed at', () => {
    expect(() => parsePain002('<A><Document/></A><B/>')).toThrow(MalformedFileError);
  });
});

describe('camt.053', () => {
  test('reads the booked lines, counterparties and the closing balance', () => {
    const [s] = parseCamt053(fixture('camt053.xml'));
    expect(s).toMatchObject({
      messageId: 'CMB-STMT-20261201-6226',
      statementId: 'STMT-6226090000001234-20261201',
      accountNumber: '6226090000001234',
      currency: 'CNY',
      closingBalance: { amount: { minor: 497_998_500n, currency: 'CNY' }, asOf: new Date('2026-12-01T23:59:59.999Z') },
    });
    // The pending entry is not money moved yet.
    expect(s.lines).toEqual([
      {
        line: 1, entryRef: 'CMB20261201000101', endToEndId: 'PDPAY2026000001', creditDebit: 'DBIT', amount: { minor: 5_000_000n, currency: 'CNY' },
        bookingDate: '2026-12-01', counterpartyName: 'Acme Ltd', counterpartyAccount: '6222020000005678', remittance: 'Invoice 1',
      },
      {
        line: 2, entryRef: 'CMB20261201000102', creditDebit: 'DBIT', amount: { minor: 7_000_000n, currency: 'CNY' },
        bookingDate: '2026-12-01', counterpartyName: 'ACME LTD', counterpartyAccount: '6222 0200 0000 5678',
      },
      { line: 3, entryRef: 'CMB20261201000103', creditDebit: 'DBIT', amount: { minor: 1_500n, currency: 'CNY' }, bookingDate: '2026-12-01' },
      {
        line: 4, entryRef: 'CMB20261201000104', endToEndId: 'GLOBEX-INV-7781', creditDebit: 'CRDT', amount: { minor: 10_000_000n, currency: 'CNY' },
        bookingDate: '2026-12-01', counterpartyName: 'Globex Trading (Shanghai)',
      },
    ]);
  });

  test('a batch-booked entry becomes one line per transaction, which must add up', () => {
    const entry = (txs: string) => `<Document><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S</Id>
      <Acct><Id><IBAN>CN00TEST</IBAN></Id><Ccy>CNY</Ccy></Acct>
      <Ntry><Amt Ccy="CNY">30.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-12-01</Dt></BookgDt>
        <NtryDtls>${txs}</NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`;
    const tx = (e2e: string, amt: string) =>
      `<TxDtls><Refs><EndToEndId>${e2e}</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="CNY">${amt}</Amt></TxAmt></AmtDtls></TxDtls>`;
    const [s] = parseCamt053(entry(tx('A', '10.00') + tx('B', '20.00')));
    expect(s.lines.map((l) => [l.endToEndId, l.amount.minor])).toEqual([['A', 1000n], ['B', 2000n]]);
    expect(() => parseCamt053(entry(tx('A', '10.00') + tx('B', '19.99')))).toThrow(/add up/);
  });

  test.each([
    ['a truncated file', fixture('camt053-truncated.xml'), /not well-formed/],
    ['an entry without an amount', fixture('camt053-missing-amount.xml'), /Ntry\[1\]: missing Amt/],
    ['an amount in another currency', fixture('camt053.xml').replace('<Amt Ccy="CNY">15.00</Amt>', '<Amt Ccy="USD">15.00</Amt>'), /in USD, account is CNY/],
    ['an amount with too many decimals', fixture('camt053.xml').replace('>15.00<', '>15.001<'), /bad amount/],
    ['an impossible booking date', fixture('camt053.xml').replace('<Dt>2026-12-01</Dt>\n        </BookgDt>', '<Dt>2026-02-30</Dt>\n        </BookgDt>'), /bad date/],
    ['a missing credit/debit indicator', fixture('camt053.xml').replace('<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>', '<Sts>'), /CdtDbtInd/],
  ])('refuses %s', (_what, xml, message) => {
    expect(() => parseCamt053(xml)).toThrow(MalformedFileError);
    expect(() => parseCamt053(xml)).toThrow(message);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Pain001Message, buildPain001 } from '../../src/banks/iso20022/pain001.builder';
import { endToEndIds, pain001Problems } from '../fixtures/iso20022/pain001-structure';

const FIXTURES = path.resolve(__dirname, '../fixtures/iso20022');

const message = (over: Partial<Pain001Message> = {}): Pain001Message => ({
  messageId: 'PD2026120100000042',
  createdAt: new Date('2026-12-01T02:30:00Z'),
  initiatingParty: 'Demo Trading Co., Ltd.',
  debtor: { name: 'CMB Operating Account', accountNumber: '6226090000001234', bankName: 'China Merchants Bank', bic: 'CMBCCNBS' },
  currency: 'CNY',
  executionDate: '2026-12-01',
  transactions: [
    {
      endToEndId: 'PDPAY2026000001', instructionId: 'PAY-2026-000001', amount: { minor: 1_234_567n, currency: 'CNY' },
      creditor: { name: '上海阿克米供应有限公司', accountNumber: '6222 0200 0000 5678', bankName: 'ICBC Shanghai Branch', bic: 'ICBKCNBJSHI' },
      remittance: 'Invoice INV-42 & "spare parts" <Q4>',
    },
    {
      endToEndId: 'PDPAY2026000002', instructionId: 'PAY-2026-000002', amount: { minor: 5n, currency: 'CNY' },
      creditor: { name: 'Euro Parts GmbH', accountNumber: 'DE89370400440532013000', bankName: 'Commerzbank' },
      remittance: 'x'.repeat(200),
    },
  ],
  ...over,
});

test('pain.001 golden file: same message, same bytes', () => {
  const golden = readFileSync(path.join(FIXTURES, 'pain001-golden.xml'), 'utf8');
  expect(buildPain001(message())).toBe(golden);
});

test('the generated file follows the pain.001.001.09 structure', () => {
  const xml = buildPain001(message());
  expect(pain001Problems(xml)).toEqual([]);
  expect(endToEndIds(xml)).toEqual(['PDPAY2026000001', 'PDPAY2026000002']);
  // Totals are exact decimal strings, never floats.
  expect(xml).toContain('<CtrlSum>12345.72</CtrlSum>');
  expect(xml).toContain('<InstdAmt Ccy="CNY">0.05</InstdAmt>');
  // Free text is escaped by the XML library, and cut to the 140 characters the schema allows.
  expect(xml).toContain('Invoice INV-42 &amp; &quot;spare parts&quot; &lt;Q4&gt;');
  expect(xml).toContain(`<Ustrd>${'x'.repeat(140)}</Ustrd>`);
  // IBANs go in <IBAN>, domestic numbers in <Othr><Id> (spaces dropped); agents without a BIC by name.
  expect(xml).toContain('<IBAN>DE89370400440532013000</IBAN>');
  expect(xml).toContain('<Id>6222020000005678</Id>');
  expect(xml).toMatch(/<FinInstnId>\s*<Nm>Commerzbank<\/Nm>/);
});

test('the structure check catches what a bank would refuse', () => {
  const good = buildPain001(message());
  expect(pain001Problems(good.replace('<PmtMtd>TRF</PmtMtd>', ''))).toContainEqual(expect.stringContaining('missing PmtMtd'));
  const swapped = good.replace(/(<ReqdExctnDt>[\s\S]*?<\/ReqdExctnDt>)(\s*)(<Dbtr>[\s\S]*?<\/Dbtr>)/, '$3$2$1');
  expect(pain001Problems(swapped)).toContainEqual(expect.stringContaining('out-of-order'));
  expect(pain001Problems(good.replace('<CtrlSum>12345.72</CtrlSum>', '<CtrlSum>12345.71</CtrlSum>'))).toContainEqual(expect.stringContaining('does not add up'));
  expect(pain001Problems(good.replace('>0.05<', '>0.05.1<'))).toContainEqual(expect.stringContaining('not a valid ActiveOrHistoricCurrencyAndAmount'));
});

test('amounts use the currency\'s own decimals (JPY none, KWD three)', () => {
  const jpy = buildPain001(message({
    currency: 'JPY',
    transactions: [{ ...message().transactions[0], amount: { minor: 150_000n, currency: 'JPY' } }],
  }));
  expect(jpy).toContain('<InstdAmt Ccy="JPY">150000</InstdAmt>');
  expect(pain001Problems(jpy)).toEqual([]);
  const kwd = buildPain001(message({
    currency: 'KWD',
    transactions: [{ ...message().transactions[0], amount: { minor: 1_005n, currency: 'KWD' } }],
  }));
  expect(kwd).toContain('<CtrlSum>1.005</CtrlSum>');
});

test('a batch mixing currencies or without transactions is a bug, not a file', () => {
  expect(() => buildPain001(message({ transactions: [] }))).toThrow(/at least one/);
  expect(() => buildPain001(message({ currency: 'USD' }))).toThrow(/is CNY, batch is USD/);
});

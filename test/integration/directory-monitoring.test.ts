import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyDirectory, parseDirectoryFile } from '../../src/services/directory/load-directory';
import type { Directory } from '../../src/services/directory/directory.schema';
import { PaymentEvents } from '../../src/services/events';
import { anomalyCheckFor } from '../../src/services/monitoring/anomaly-check';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { calendarStore } from '../../src/services/calendar/calendar-store';
import { createTestDb, TestDb } from '../support/test-db';

/** The directory file's `monitoring:` thresholds and `calendar:` overrides: validated, applied, audited. */
const DEMO = readFileSync(path.join(__dirname, '../../demo/demo-company.yaml'), 'utf8');
const NOW = new Date('2026-12-01T02:00:00Z'); // Tuesday 10:00 in Shanghai
const opts = { actor: 'system:test', now: NOW };
const parse = (text: string) => parseDirectoryFile(text, 'company.yaml');
const ok = (text: string): Directory => {
  const r = parse(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};

let t: TestDb;
beforeAll(async () => { t = await createTestDb(); });
afterAll(async () => { await t.drop(); });
const q = (sql: string, params: unknown[] = []) => t.db.read((em) => em.execute(sql, params));

test('bad thresholds are refused with the field named', () => {
  const r = parse(`${DEMO}\nmonitoring:\n  roundAmount:\n    unit: "1.5"\n  businessHours:\n    start: "9am"\n  duplicat: {}\n`);
  expect(r.ok).toBe(false);
  const fields = (r as { problems: { field: string; problem: string }[] }).problems.map((p) => `${p.field}: ${p.problem}`).join('\n');
  expect(fields).toContain('monitoring.roundAmount.unit: must be a whole amount');
  expect(fields).toContain('monitoring.businessHours.start: must be a time such as 09:00');
  expect(fields).toMatch(/duplicat/);
  const badDay = parse(`${DEMO}\ncalendar:\n  holidays:\n    - { date: "2027-02-30", name: x }\n`);
  expect(JSON.stringify(badDay)).toContain('must be a real date such as 2027-01-01');
});

test('thresholds apply to the next anomaly check and every change is audited with before and after', async () => {
  await applyDirectory(t.db, ok(DEMO), opts);
  const payee = (await q(`select id from payees order by code limit 1`))[0].id;
  const account = (await q(`select id from bank_accounts where currency = 'CNY' order by code limit 1`))[0].id;
  const create = new CreatePayment(t.db, new PaymentEvents(), anomalyCheckFor(), () => NOW);
  const pay = async (yuan: number, key: string) =>
    create.execute({
      source: 'api', idempotencyKey: key, debtorAccountId: account, payeeId: payee, amount: { minor: BigInt(yuan) * 100n, currency: 'CNY' },
      purpose: 'test', actor: 'api:test',
    });
  const codes = async (yuan: number, key: string) => {
    const r = await pay(yuan, key);
    if (!r.ok) throw new Error(r.code);
    return r.value.payment.warnings.map((w) => w.code);
  };
  expect(await codes(60_000, 'a')).toContain('ANOMALY.ROUND_AMOUNT'); // default: ≥ 50,000 in units of 10,000

  await applyDirectory(t.db, ok(`${DEMO}\nmonitoring:\n  roundAmount:\n    minAmount: "100,000"\n`), opts);
  expect(await codes(70_000, 'b')).not.toContain('ANOMALY.ROUND_AMOUNT');
  const audit = await q(`select action, data from audit_events where subject_type = 'monitoring' order by seq`);
  expect(audit).toEqual([{ action: 'directory.monitoring.updated', data: { before: null, after: { roundAmount: { minAmount: '100000' } } } }]);

  // The same file again changes nothing and writes nothing.
  await applyDirectory(t.db, ok(`${DEMO}\nmonitoring:\n  roundAmount:\n    minAmount: "100,000"\n`), opts);
  expect(await q(`select count(*)::int as n from audit_events where subject_type = 'monitoring'`)).toEqual([{ n: 1 }]);
});

test('calendar overrides from the file: a company holiday and a make-up working day, replaced when the file changes', async () => {
  await applyDirectory(
    t.db,
    ok(`${DEMO}\ncalendar:\n  holidays:\n    - { date: "2027-01-04", name: "Company day" }\n  workdays:\n    - { date: "2027-01-09", name: "元旦调休" }\n`),
    opts,
  );
  const cal = await t.db.read((em) => calendarStore.calendar(em));
  expect(cal.day('2027-01-04')).toMatchObject({ business: false, origin: 'company', name: 'Company day' });
  expect(cal.day('2027-01-09')).toMatchObject({ business: true, kind: 'makeup_workday', origin: 'company' });
  await applyDirectory(t.db, ok(`${DEMO}\ncalendar:\n  workdays:\n    - { date: "2027-01-09", name: "元旦调休" }\n`), opts);
  const after = await t.db.read((em) => calendarStore.calendar(em));
  expect(after.isBusinessDay('2027-01-04')).toBe(true);
  const audit = await q(`select data from audit_events where action = 'directory.calendar.updated' order by seq`);
  expect(audit.map((a: any) => [a.data.added.length, a.data.removed.length])).toEqual([[2, 0], [0, 1]]);
});

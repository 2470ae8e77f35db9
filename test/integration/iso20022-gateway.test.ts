import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileGateway } from '../../src/banks/iso20022/file-gateway';
import { Result } from '../../src/domain/result';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvents } from '../../src/services/events';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { endToEndIds, pain001Problems } from '../fixtures/iso20022/pain001-structure';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

// 10:00 in Shanghai on 2026-12-01: "today" for execution dates.
const NOW = new Date('2026-12-01T02:00:00Z');
let t: TestDb;
let f: Fixture;
let dir: string;
let events: PaymentEvents;
let create: CreatePayment;
let decide: DecideApproval;
let gateway: FileGateway;
let outbox: BankOutbox;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  dir = mkdtempSync(path.join(tmpdir(), 'paydesk-outbox-'));
  events = new PaymentEvents();
  create = new CreatePayment(t.db, events, undefined, () => NOW);
  decide = new DecideApproval(t.db, events);
  gateway = new FileGateway(t.db, { outboxDir: dir, initiatingParty: 'Test Co', timezone: 'Asia/Shanghai', clock: () => NOW });
  outbox = new BankOutbox(t.db, gateway, events);
});
afterAll(async () => {
  await events.settle();
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`refused: ${r.code}`);
  return r.value;
}
/** An approved payment (auto-approved when small, else approved by adam), as the outbox would find it. */
async function approved(yuan: number, over: { executionDate?: string } = {}) {
  const { payment, autoApproved } = value(await create.execute({
    source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: BigInt(yuan) * 100n, currency: 'CNY' },
    purpose: `Invoice ${yuan}`, requesterId: f.users.requester, actor: 'user:rita', ...over,
  }));
  if (!autoApproved) value(await decide.execute({ paymentId: payment.id, approverId: f.users.approver, decision: 'approve', via: 'test' }));
  return payment;
}
const visibleFiles = () => readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');

test('approved payments of one account and day go into one pain.001 file (golden)', async () => {
  await approved(50_000);
  await approved(60_000);
  expect(await outbox.submitApproved()).toBe(2);
  expect(visibleFiles()).toEqual(['pain.001.001.09-PD2026120100000001.xml']);
  const xml = read('pain.001.001.09-PD2026120100000001.xml');
  const golden = path.resolve(__dirname, '../fixtures/iso20022/pain001-outbox.golden.xml');
  // UPDATE_GOLDEN=1 rewrites the golden file; review the diff before committing it.
  if (process.env.UPDATE_GOLDEN) writeFileSync(golden, xml);
  expect(xml).toBe(readFileSync(golden, 'utf8'));
  expect(pain001Problems(xml)).toEqual([]);
  const statuses = await t.db.read((em) => em.execute(`select status, bank_status from payments order by reference`));
  expect(statuses).toEqual([{ status: 'submitted', bank_status: 'ACSP' }, { status: 'submitted', bank_status: 'ACSP' }]);
  // No pain.002 yet: the bank has said nothing beyond accepting the file.
  expect(await gateway.status('PDPAY2026000001')).toEqual({ status: 'pending' });
  expect(await gateway.status('PDPAY2026999999')).toEqual({ status: 'unknown' });
  expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
});

test('submitting the same end-to-end id again never writes a second instruction', async () => {
  const [row] = await t.db.read((em) => em.execute(`select reference, amount_minor from payments where end_to_end_id = 'PDPAY2026000001'`));
  const instruction = {
    endToEndId: 'PDPAY2026000001', reference: row.reference, amount: { minor: BigInt(row.amount_minor), currency: 'CNY' }, purpose: 'Invoice 50000',
    debtor: { accountNumber: f.accountNumber, name: 'CMB CNY', bankName: 'CMB' },
    creditor: { accountNumber: '6222020000005678', name: 'Acme Ltd', bankName: 'ICBC' },
  };
  const before = read('pain.001.001.09-PD2026120100000001.xml');
  await expect(gateway.submit(instruction)).resolves.toEqual({ status: 'accepted' });
  await expect(gateway.submit({ ...instruction, executionDate: '2026-12-24' })).resolves.toEqual({ status: 'accepted' });
  expect(visibleFiles()).toEqual(['pain.001.001.09-PD2026120100000001.xml']);
  expect(read('pain.001.001.09-PD2026120100000001.xml')).toBe(before);
  const links = await t.db.read((em) => em.execute(`select count(*)::int as n from bank_file_transactions`));
  expect(links[0].n).toBe(2);
});

test('one new instruction submitted five times at once is written once', async () => {
  const instruction = {
    endToEndId: 'PDTESTRACE000001', reference: 'RACE-1', amount: { minor: 12_345n, currency: 'CNY' }, purpose: 'race',
    debtor: { accountNumber: f.accountNumber, name: 'CMB CNY', bankName: 'CMB' },
    creditor: { accountNumber: '6222020000005678', name: 'Acme Ltd', bankName: 'ICBC' },
  };
  const outcomes = await Promise.all(Array.from({ length: 5 }, () => gateway.submit(instruction)));
  expect(outcomes).toEqual(Array(5).fill({ status: 'accepted' }));
  const xml = read('pain.001.001.09-PD2026120100000001.xml');
  expect(endToEndIds(xml)).toEqual(['PDPAY2026000001', 'PDPAY2026000002', 'PDTESTRACE000001']);
  expect(pain001Problems(xml)).toEqual([]);
});

test('a file interrupted by a crash is rebuilt from the database, not lost', async () => {
  const name = 'pain.001.001.09-PD2026120100000001.xml';
  const before = read(name);
  // What a crash between commit and publishing leaves: the file claimed, nothing visible.
  renameSync(path.join(dir, name), path.join(dir, `.${name}.claim`));
  expect(await gateway.recover()).toBe(1);
  expect(read(name)).toBe(before);
  expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
});

test('once the connector has collected a file, new payments start a new message', async () => {
  const collected = mkdtempSync(path.join(tmpdir(), 'paydesk-sent-'));
  renameSync(path.join(dir, 'pain.001.001.09-PD2026120100000001.xml'), path.join(collected, 'sent.xml'));
  await approved(70_000);
  expect(await outbox.submitApproved()).toBe(1);
  expect(visibleFiles()).toEqual(['pain.001.001.09-PD2026120100000002.xml']);
  const xml = read('pain.001.001.09-PD2026120100000002.xml');
  expect(endToEndIds(xml)).toEqual(['PDPAY2026000003']);
  expect(pain001Problems(xml)).toEqual([]);
  // The first file is untouched wherever the connector put it, and its batch is sealed.
  expect(endToEndIds(readFileSync(path.join(collected, 'sent.xml'), 'utf8'))).toEqual(['PDPAY2026000001', 'PDPAY2026000002', 'PDTESTRACE000001']);
  const sealed = await t.db.read((em) => em.execute(`select message_id from bank_file_batches where sealed_at is not null`));
  expect(sealed).toEqual([{ message_id: 'PD2026120100000001' }]);
  rmSync(collected, { recursive: true, force: true });
});

test('a later execution date gets its own file; a past one goes out today', async () => {
  await approved(1_100, { executionDate: '2026-12-24' });
  await approved(1_200, { executionDate: '2026-11-20' });
  expect(await outbox.submitApproved()).toBe(2);
  const files = visibleFiles();
  expect(files).toHaveLength(2);
  const byDate = Object.fromEntries(files.map((n) => [/<Dt>(\d{4}-\d{2}-\d{2})<\/Dt>/.exec(read(n))![1], endToEndIds(read(n))]));
  expect(byDate).toEqual({ '2026-12-24': ['PDPAY2026000004'], '2026-12-01': ['PDPAY2026000003', 'PDPAY2026000005'] });
});

test('payments submitted concurrently by two workers end up once each in one file', async () => {
  for (let i = 0; i < 8; i++) await approved(2_000 + i, { executionDate: '2026-12-28' });
  const ids = await t.db.read((em) => em.execute(`select id from payments where status = 'approved'`));
  // Two workers racing over the same payments, as two processes would.
  await Promise.all([...ids.map((r: any) => outbox.submitOne(r.id)), ...ids.map((r: any) => outbox.submitOne(r.id))]);
  const file = visibleFiles().find((n) => read(n).includes('<Dt>2026-12-28</Dt>'))!;
  const e2e = endToEndIds(read(file));
  expect(e2e).toHaveLength(8);
  expect(new Set(e2e).size).toBe(8);
  expect(pain001Problems(read(file))).toEqual([]);
  expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
});

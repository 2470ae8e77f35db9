import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/**
 * Watches every file operation of the gateway: the invariant under test is that a
 * visible outbox file is never written, and a rename never lands on an existing file.
 * `crash` simulates a process dying around the publishing rename.
 */
const mockFs = { violations: [] as string[], crash: undefined as undefined | 'before-rename' | 'after-rename' };
jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual('node:fs/promises');
  const { existsSync: there, statSync: info } = jest.requireActual('node:fs');
  const { basename } = jest.requireActual('node:path');
  return {
    ...actual,
    open: (p: string, flags?: string, ...rest: unknown[]) => {
      const dir = there(p) && info(p).isDirectory();
      if (flags !== 'r' && !dir && !basename(p).startsWith('.')) mockFs.violations.push(`wrote visible ${basename(p)}`);
      return actual.open(p, flags, ...rest);
    },
    writeFile: (p: string, ...rest: unknown[]) => {
      if (!basename(String(p)).startsWith('.')) mockFs.violations.push(`wrote visible ${basename(String(p))}`);
      return actual.writeFile(p, ...rest);
    },
    rename: async (from: string, to: string) => {
      if (there(to)) mockFs.violations.push(`renamed onto existing ${basename(to)}`);
      const crash = mockFs.crash;
      mockFs.crash = undefined;
      if (crash === 'before-rename') throw new Error('simulated crash before the rename');
      await actual.rename(from, to);
      if (crash === 'after-rename') throw new Error('simulated crash after the rename');
    },
  };
});

// 10:00 in Shanghai on 2026-12-01: "today" for execution dates.
const NOW = new Date('2026-12-01T02:00:00Z');
let now = NOW;
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
  events = new PaymentEvents(t.db);
  create = new CreatePayment(t.db, events, undefined, () => NOW);
  decide = new DecideApproval(t.db, events);
  gateway = new FileGateway(t.db, { outboxDir: dir, initiatingParty: 'Test Co', timezone: 'Asia/Shanghai', clock: () => now });
  // The outbox's day is late December, so payments dated up to then are due; the gateway's day stays 1 December.
  outbox = new BankOutbox(t.db, gateway, events, undefined, () => new Date('2026-12-31T02:00:00Z'));
});
afterEach(() => {
  expect(mockFs.violations).toEqual([]);
  mockFs.violations.length = 0;
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
const instruction = (endToEndId: string, minor = 12_345n) => ({
  endToEndId, reference: endToEndId, amount: { minor, currency: 'CNY' }, purpose: 'test',
  debtor: { accountNumber: f.accountNumber, name: 'CMB CNY', bankName: 'CMB' },
  creditor: { accountNumber: '6222020000005678', name: 'Acme Ltd', bankName: 'ICBC' },
});
const visibleFiles = () => readdirSync(dir).filter((n) => !n.startsWith('.')).sort();
const hiddenFiles = () => readdirSync(dir).filter((n) => n.startsWith('.')).sort();
const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
const fileOf = (msgId: string) => `pain.001.001.09-${msgId}.xml`;
/** Moves every visible file out, as a well-behaved connector does; returns what it collected by name. */
function collect(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of visibleFiles()) {
    out[n] = read(n);
    rmSync(path.join(dir, n));
  }
  return out;
}
const MSGID = /<MsgId>([^<]+)<\/MsgId>/;

test('approved payments of one account and day go out in one pain.001 file when the round is flushed (golden)', async () => {
  await approved(50_000);
  await approved(60_000);
  expect(await outbox.submitApproved()).toBe(2);
  await gateway.flush();
  expect(visibleFiles()).toEqual([fileOf('PD2026120100000001')]);
  const xml = read(fileOf('PD2026120100000001'));
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
  expect(hiddenFiles()).toEqual([]);
  expect(await gateway.flush()).toBe(0); // nothing left to publish
});

test('a published file is never modified: with a connector that copies, the next payment gets its own message', async () => {
  const first = fileOf('PD2026120100000001');
  const before = read(first);
  const mtime = statSync(path.join(dir, first)).mtimeMs;
  // The connector copied the file and left it where it was.
  await gateway.submit(instruction('PDTESTCOPY000001'));
  // While its batch is open the new payment is nowhere in the outbox.
  expect(visibleFiles()).toEqual([first]);
  expect(hiddenFiles()).toEqual([]);
  expect(await gateway.flush()).toBe(1);
  expect(visibleFiles()).toEqual([first, fileOf('PD2026120100000002')]);
  expect(read(first)).toBe(before);
  expect(statSync(path.join(dir, first)).mtimeMs).toBe(mtime);
  expect(endToEndIds(read(fileOf('PD2026120100000002')))).toEqual(['PDTESTCOPY000001']);
  const batches = await t.db.read((em) =>
    em.execute(`select message_id, sealed_at is not null as sealed, published_at is not null as published from bank_file_batches order by message_id`),
  );
  expect(batches).toEqual([
    { message_id: 'PD2026120100000001', sealed: true, published: true },
    { message_id: 'PD2026120100000002', sealed: true, published: true },
  ]);
  collect();
});

test('submitting the same end-to-end id again never writes a second instruction', async () => {
  const [row] = await t.db.read((em) => em.execute(`select reference from payments where end_to_end_id = 'PDPAY2026000001'`));
  const again = { ...instruction('PDPAY2026000001', 5_000_000n), reference: row.reference };
  await expect(gateway.submit(again)).resolves.toEqual({ status: 'accepted' });
  // Its file is out already: a repeat is accepted, not queued again.
  await expect(gateway.submit({ ...again, executionDate: '2026-12-24' })).resolves.toEqual({ status: 'accepted' });
  expect(await gateway.flush()).toBe(0);
  expect(readdirSync(dir)).toEqual([]);
  const links = await t.db.read((em) => em.execute(`select count(*)::int as n from bank_file_transactions`));
  expect(links[0].n).toBe(3);
});

test('one instruction submitted five times while two flushes race is written once, in one file', async () => {
  await Promise.all([...Array.from({ length: 5 }, () => gateway.submit(instruction('PDTESTRACE000001'))), gateway.flush(), gateway.flush()]);
  await gateway.flush();
  const files = collect();
  const all = Object.values(files).flatMap(endToEndIds);
  expect(all).toEqual(['PDTESTRACE000001']);
  for (const xml of Object.values(files)) expect(pain001Problems(xml)).toEqual([]);
  expect(hiddenFiles()).toEqual([]);
});

test('an open batch nobody flushes is published by the next submit once it is older than publishAfterMs', async () => {
  await gateway.submit(instruction('PDTESTAGE0000001'));
  now = new Date(NOW.getTime() + 1_000);
  await gateway.submit(instruction('PDTESTAGE0000002'));
  expect(readdirSync(dir)).toEqual([]); // 1 s old: still collecting
  now = new Date(NOW.getTime() + 6_000);
  await gateway.submit(instruction('PDTESTAGE0000003'));
  // The overdue batch went out with the payment that arrived in time for it; nothing is ever added to it again.
  const [aged] = visibleFiles();
  expect(endToEndIds(read(aged))).toEqual(['PDTESTAGE0000001', 'PDTESTAGE0000002', 'PDTESTAGE0000003']);
  now = new Date(NOW.getTime() + 7_000);
  await gateway.submit(instruction('PDTESTAGE0000004'));
  expect(visibleFiles()).toEqual([aged]);
  expect(await gateway.publishDue()).toBe(0);
  expect(await gateway.flush()).toBe(1);
  const next = visibleFiles().find((n) => n !== aged)!;
  expect(endToEndIds(read(next))).toEqual(['PDTESTAGE0000004']);
  expect(MSGID.exec(read(next))![1]).not.toBe(MSGID.exec(read(aged))![1]);
  collect();
  now = NOW;
});

test('without any flush, the status poll of a submitted payment publishes its overdue batch', async () => {
  await gateway.submit(instruction('PDTESTPOLL000001'));
  // No file yet: queued, not pending at the bank.
  expect(await gateway.status('PDTESTPOLL000001')).toEqual({ status: 'queued' });
  expect(readdirSync(dir)).toEqual([]);
  now = new Date(NOW.getTime() + 5_000);
  expect(await gateway.status('PDTESTPOLL000001')).toEqual({ status: 'pending' });
  expect(Object.values(collect()).map(endToEndIds)).toEqual([['PDTESTPOLL000001']]);
  now = NOW;
});

test('a crash between sealing and publishing: recover() publishes the staged batch once, and it takes no more payments', async () => {
  await gateway.submit(instruction('PDTESTCRASH00001'));
  mockFs.crash = 'before-rename';
  await expect(gateway.flush()).rejects.toThrow(/simulated crash/);
  expect(visibleFiles()).toEqual([]);
  const [staged] = hiddenFiles();
  expect(staged).toMatch(/^\.pain\.001\.001\.09-PD\d+\.xml\.tmp$/);
  expect(await gateway.recover()).toBe(1);
  const [file] = visibleFiles();
  expect(`.${file}.tmp`).toBe(staged);
  expect(endToEndIds(read(file))).toEqual(['PDTESTCRASH00001']);
  expect(pain001Problems(read(file))).toEqual([]);
  expect(hiddenFiles()).toEqual([]);
  expect(await gateway.recover()).toBe(0);
  // The sealed batch is closed: the next payment starts a new message.
  await gateway.submit(instruction('PDTESTCRASH00002'));
  expect(await gateway.flush()).toBe(1);
  expect(Object.values(collect()).map(endToEndIds)).toEqual([['PDTESTCRASH00001'], ['PDTESTCRASH00002']]);
});

test('an interrupted publish is finished by the next submit too, before anything else goes out', async () => {
  await gateway.submit(instruction('PDTESTCRASH00005'));
  mockFs.crash = 'before-rename';
  await expect(gateway.flush()).rejects.toThrow(/simulated crash/);
  await gateway.submit(instruction('PDTESTCRASH00006'));
  expect(visibleFiles().map((n) => endToEndIds(read(n)))).toEqual([['PDTESTCRASH00005']]);
  expect(await gateway.flush()).toBe(1);
  expect(Object.values(collect()).map(endToEndIds)).toEqual([['PDTESTCRASH00005'], ['PDTESTCRASH00006']]);
});

test('a backstop publish that fails does not fail the submit; the flush at the end of the round finishes it', async () => {
  await gateway.submit(instruction('PDTESTBACK000001'));
  now = new Date(NOW.getTime() + 6_000);
  mockFs.crash = 'before-rename';
  await expect(gateway.submit(instruction('PDTESTBACK000002'))).resolves.toEqual({ status: 'queued' });
  // The overdue batch (with both payments) was sealed, but its rename failed: staged, not visible.
  expect(visibleFiles()).toEqual([]);
  expect(hiddenFiles()).toHaveLength(1);
  expect(await gateway.flush()).toBe(1);
  expect(Object.values(collect()).map(endToEndIds)).toEqual([['PDTESTBACK000001', 'PDTESTBACK000002']]);
  now = NOW;
});

test('a crash right after publishing: the file the connector already took is never written again', async () => {
  await gateway.submit(instruction('PDTESTCRASH00003'));
  mockFs.crash = 'after-rename';
  await expect(gateway.flush()).rejects.toThrow(/simulated crash/);
  const sent = collect();
  expect(Object.values(sent).map(endToEndIds)).toEqual([['PDTESTCRASH00003']]);
  expect(await gateway.recover()).toBe(0);
  expect(await gateway.flush()).toBe(0);
  expect(readdirSync(dir)).toEqual([]);
  const [b] = await t.db.read((em) =>
    em.execute(`select published_at is not null as published from bank_file_batches where message_id = ?`, [MSGID.exec(Object.values(sent)[0])![1]]),
  );
  expect(b.published).toBe(true);
});

test('a staged copy left behind by a rolled-back seal is replaced by the complete batch', async () => {
  await gateway.submit(instruction('PDTESTSTALE00001'));
  const [open] = await t.db.read((em) => em.execute(`select file_name from bank_file_batches where sealed_at is null`));
  writeFileSync(path.join(dir, `.${open.file_name}.tmp`), '<truncated');
  await gateway.submit(instruction('PDTESTSTALE00002'));
  expect(await gateway.flush()).toBe(1);
  expect(endToEndIds(read(open.file_name))).toEqual(['PDTESTSTALE00001', 'PDTESTSTALE00002']);
  expect(hiddenFiles()).toEqual([]);
  collect();
});

test('a later execution date gets its own file; a past one goes out today', async () => {
  await approved(1_100, { executionDate: '2026-12-24' });
  await approved(1_200, { executionDate: '2026-11-20' });
  expect(await outbox.submitApproved()).toBe(2);
  await gateway.flush();
  const files = visibleFiles();
  expect(files).toHaveLength(2);
  const byDate = Object.fromEntries(files.map((n) => [/<Dt>(\d{4}-\d{2}-\d{2})<\/Dt>/.exec(read(n))![1], endToEndIds(read(n))]));
  expect(byDate).toEqual({ '2026-12-24': ['PDPAY2026000003'], '2026-12-01': ['PDPAY2026000004'] });
  collect();
});

test('payments submitted concurrently by two workers, flushed meanwhile, end up once each', async () => {
  for (let i = 0; i < 8; i++) await approved(2_000 + i, { executionDate: '2026-12-28' });
  const ids = await t.db.read((em) => em.execute(`select id from payments where status = 'approved'`));
  // Two workers racing over the same payments, as two processes would, while rounds end and flush.
  await Promise.all([
    ...ids.map((r: any) => outbox.submitOne(r.id)), gateway.flush(), ...ids.map((r: any) => outbox.submitOne(r.id)), gateway.flush(),
  ]);
  await gateway.flush();
  const files = Object.values(collect());
  const e2e = files.flatMap(endToEndIds);
  expect(e2e).toHaveLength(8);
  expect(new Set(e2e).size).toBe(8);
  expect(new Set(files.map((x) => MSGID.exec(x)![1])).size).toBe(files.length);
  for (const xml of files) expect(pain001Problems(xml)).toEqual([]);
  expect(hiddenFiles()).toEqual([]);
});

test('the fs watcher itself notices a visible write (so the invariant above can fail)', async () => {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(dir, 'visible.xml'), 'x');
  expect(mockFs.violations).toEqual(['wrote visible visible.xml']);
  mockFs.violations.length = 0;
  rmSync(path.join(dir, 'visible.xml'));
});

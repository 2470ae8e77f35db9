import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileGateway } from '../../src/banks/iso20022/file-gateway';
import { InboxProcessor } from '../../src/banks/iso20022/inbox-processor';
import type { Database } from '../../src/persistence/database';
import { Result } from '../../src/domain/result';
import { verifyAuditChain } from '../../src/services/audit/verify-audit-chain';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvent, PaymentEvents } from '../../src/services/events';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import type { ReconciliationFinding } from '../../src/services/reconciliation/reconciliation.types';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

const NOW = new Date('2026-12-01T02:00:00Z');
const FIXTURES = path.resolve(__dirname, '../fixtures/iso20022');
let t: TestDb;
let f: Fixture;
let outDir: string;
let inDir: string;
let events: PaymentEvents;
let gateway: FileGateway;
let inbox: InboxProcessor;
const published: PaymentEvent[] = [];
const findings: ReconciliationFinding[] = [];

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`refused: ${r.code}`);
  return r.value;
}
const drop = (fixture: string, as = fixture) => copyFileSync(path.join(FIXTURES, fixture), path.join(inDir, as));
const payment = async (reference: string) =>
  (await t.db.read((em) => em.execute(`select status, bank_status, bank_reason from payments where reference = ?`, [reference])))[0];
const balance = async () => BigInt((await t.db.read((em) => em.execute(`select balance_minor from bank_accounts where id = ?`, [f.accountId])))[0].balance_minor);
const count = async (table: string) => Number((await t.db.read((em) => em.execute(`select count(*) as n from ${table}`)))[0].n);
const actions = async (reference: string) =>
  (await t.db.read((em) => em.execute(`select action, actor from audit_events where subject_id = ? order by seq`, [reference]))).map((r: any) => `${r.action} ${r.actor}`);

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db); // CNY 5,000,000.00 in cmb-cny 6226090000001234
  outDir = mkdtempSync(path.join(tmpdir(), 'paydesk-out-'));
  inDir = mkdtempSync(path.join(tmpdir(), 'paydesk-in-'));
  events = new PaymentEvents(t.db);
  events.subscribe('test', (e) => void published.push(e));
  const create = new CreatePayment(t.db, events, undefined, () => NOW);
  const decide = new DecideApproval(t.db, events);
  gateway = new FileGateway(t.db, { outboxDir: outDir, initiatingParty: 'Test Co', timezone: 'Asia/Shanghai', clock: () => NOW });
  inbox = new InboxProcessor(t.db, events, { inboxDir: inDir, clock: () => NOW, onUnmatched: (x) => void findings.push(x) });
  // PAY-2026-000001..3: 50,000 / 60,000 / 70,000 to acme, approved and sent in PD2026120100000001.
  for (const yuan of [50_000, 60_000, 70_000]) {
    const { payment: p } = value(await create.execute({
      source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: BigInt(yuan) * 100n, currency: 'CNY' },
      purpose: `Invoice ${yuan}`, requesterId: f.users.requester, actor: 'user:rita',
    }));
    value(await decide.execute({ paymentId: p.id, approverId: f.users.approver, decision: 'approve', via: 'test' }));
  }
  expect(await new BankOutbox(t.db, gateway, events, undefined, () => NOW).submitApproved()).toBe(3);
  await gateway.flush();
  await events.settle();
  published.length = 0;
});
afterAll(async () => {
  await events.settle();
  await t.drop();
  for (const d of [outDir, inDir]) rmSync(d, { recursive: true, force: true });
});

test('malformed files are moved aside with the reason, and nothing of them is applied', async () => {
  drop('pain002-unknown-e2e.xml', '01-status.xml');
  drop('camt053-missing-amount.xml', '02-statement.xml');
  drop('camt053-truncated.xml', '03-statement.xml');
  drop('camt053-unknown-account.xml', '04-statement.xml');
  const auditBefore = await count('audit_events');
  const results = await inbox.processAll();
  expect(results.map((r) => [r.file, r.outcome])).toEqual([
    ['01-status.xml', 'failed'], ['02-statement.xml', 'failed'], ['03-statement.xml', 'failed'], ['04-statement.xml', 'failed'],
  ]);
  const failed = path.join(inDir, 'failed');
  expect(readFileSync(path.join(failed, '01-status.xml.error.txt'), 'utf8')).toMatch(/unknown EndToEndId PDPAY2026999999/);
  expect(readFileSync(path.join(failed, '02-statement.xml.error.txt'), 'utf8')).toMatch(/Ntry\[1\]: missing Amt/);
  expect(readFileSync(path.join(failed, '03-statement.xml.error.txt'), 'utf8')).toMatch(/not well-formed/);
  // Account numbers stay masked even in the error file.
  expect(readFileSync(path.join(failed, '04-statement.xml.error.txt'), 'utf8')).toBe(
    'statement STMT-NOT-OURS-20261201 is for an account paydesk does not hold (**** 2222)\n',
  );
  expect(readdirSync(inDir).filter((n) => n.endsWith('.xml'))).toEqual([]);
  // The valid parts of the refused files (a RJCT, a booked debit, a whole statement and its balance) left no trace.
  expect(await payment('PAY-2026-000003')).toEqual({ status: 'submitted', bank_status: 'ACSP', bank_reason: null });
  expect(await gateway.status('PDPAY2026000003')).toEqual({ status: 'pending' });
  expect(await count('bank_statements')).toBe(0);
  expect(await count('bank_statement_entries')).toBe(0);
  expect(await balance()).toBe(500_000_000n);
  expect(await count('audit_events')).toBe(auditBefore);
  expect(published).toEqual([]);
});

test('a database failure leaves a valid file in the inbox for the next round, not in failed/', async () => {
  // The same inbox over a database that fails once, after the file's work was done inside the transaction.
  let failure: string | undefined;
  const flaky = {
    tx: <T>(fn: (em: any) => Promise<T>) =>
      t.db.tx(async (em) => {
        const r = await fn(em);
        const sql = failure;
        failure = undefined;
        if (sql) await em.execute(sql);
        return r;
      }),
    read: t.db.read.bind(t.db),
  } as unknown as Database;
  const logged: string[] = [];
  const log = { info: () => {}, warn: (_: object, m: string) => void logged.push(m), error: (_: object, m: string) => void logged.push(m) };
  const shaky = new InboxProcessor(flaky, events, { inboxDir: inDir, clock: () => NOW, log });
  drop('pain002.xml');
  drop('camt053.xml', 'x-later-statement.xml');
  const auditBefore = await count('audit_events');

  failure = `do $$ begin raise exception 'deadlock detected' using errcode = '40P01'; end $$`;
  expect(await shaky.processAll()).toEqual([{ file: 'pain002.xml', outcome: 'retry', error: expect.stringMatching(/deadlock detected/) }]);
  failure = `select pg_terminate_backend(pg_backend_pid())`; // the connection dies under the transaction
  expect(await shaky.processAll()).toEqual([{ file: 'pain002.xml', outcome: 'retry', error: expect.stringMatching(/terminat/i) }]);

  // Both files are still waiting (the round stopped at the first), nothing was parked or applied.
  expect(readdirSync(inDir).filter((n) => n.endsWith('.xml')).sort()).toEqual(['pain002.xml', 'x-later-statement.xml']);
  expect(readdirSync(path.join(inDir, 'failed')).filter((n) => n.startsWith('pain002') || n.startsWith('x-'))).toEqual([]);
  expect(await payment('PAY-2026-000001')).toEqual({ status: 'submitted', bank_status: 'ACSP', bank_reason: null });
  expect(await count('audit_events')).toBe(auditBefore);
  expect(await count('bank_statements')).toBe(0);
  await events.settle();
  expect(published).toEqual([]);
  expect(logged).toEqual([expect.stringMatching(/left in the inbox/), expect.stringMatching(/left in the inbox/)]);
  rmSync(path.join(inDir, 'x-later-statement.xml'));
  // pain002.xml stays for the next round: the test below applies it.
});

test('pain.002 moves payments through the state machine: ACSC settles, RJCT fails with the reason', async () => {
  drop('pain002.xml'); // already there when the round above left it
  const [r] = await inbox.processAll();
  expect(r).toMatchObject({ file: 'pain002.xml', outcome: 'processed', changes: 2 });
  expect(existsSync(path.join(inDir, 'processed', 'pain002.xml'))).toBe(true);
  expect(await payment('PAY-2026-000001')).toEqual({ status: 'settled', bank_status: 'ACSC', bank_reason: null });
  expect(await payment('PAY-2026-000002')).toEqual({ status: 'failed', bank_status: 'RJCT', bank_reason: 'AC04 Creditor account closed' });
  expect(await actions('PAY-2026-000002')).toEqual([
    'payment.created user:rita', 'approval.approved user:adam', 'payment.approved user:adam',
    // Queued while its batch was open, submitted once the file was out.
    'payment.queued system:bank:iso20022', 'payment.submitted system:bank:iso20022', 'payment.failed system:bank:iso20022',
  ]);
  // What the gateway now answers the outbox, and our book follows the settled payment.
  expect(await gateway.status('PDPAY2026000001')).toMatchObject({ status: 'settled' });
  expect(await gateway.status('PDPAY2026000002')).toEqual({ status: 'failed', code: 'AC04', reason: 'AC04 Creditor account closed' });
  expect(await balance()).toBe(500_000_000n - 5_000_000n);
  await events.settle();
  expect(published.map((e) => e.type === 'payment.status_changed' && `${e.payment.reference} ${e.from}→${e.payment.status}`)).toEqual([
    'PAY-2026-000001 submitted→settled', 'PAY-2026-000002 submitted→failed',
  ]);
  // The same report again changes nothing.
  drop('pain002.xml', 'pain002-again.xml');
  const [again] = await inbox.processAll();
  expect(again).toMatchObject({ outcome: 'processed', changes: 0 });
});

test('camt.053 reconciles by end-to-end id, then by amount + date + counterparty, and reports the rest', async () => {
  published.length = 0;
  drop('camt053.xml');
  const [r] = await inbox.processAll();
  expect(r).toMatchObject({ file: 'camt053.xml', kind: 'camt.053', outcome: 'processed', matched: 2, findings: 1, changes: 1 });
  const entries = await t.db.read((em) =>
    em.execute(`select e.line, e.match_method, e.finding, p.reference from bank_statement_entries e left join payments p on p.id = e.matched_payment_id order by e.line`),
  );
  expect(entries).toEqual([
    { line: 1, match_method: 'end_to_end_id', finding: null, reference: 'PAY-2026-000001' },
    { line: 2, match_method: 'amount_date_counterparty', finding: null, reference: 'PAY-2026-000003' },
    { line: 3, match_method: null, finding: 'no_match', reference: null },
    { line: 4, match_method: null, finding: null, reference: null },
  ]);
  // PAY-3 had no pain.002 yet: the booked debit settles it, then marks it reconciled.
  expect(await payment('PAY-2026-000003')).toMatchObject({ status: 'settled', bank_status: 'ACSC' });
  expect((await actions('PAY-2026-000003')).slice(-2)).toEqual(['payment.settled system:bank:iso20022', 'payment.reconciled system:reconciliation']);
  expect((await actions('PAY-2026-000001')).slice(-1)).toEqual(['payment.reconciled system:reconciliation']);
  // The unmatched bank fee reaches the alert hook.
  expect(findings).toEqual([
    expect.objectContaining({ reason: 'no_match', accountCode: 'cmb-cny', line: expect.objectContaining({ amount: { minor: 1_500n, currency: 'CNY' }, entryRef: 'CMB20261201000103' }) }),
  ]);
  // Balance = the statement's closing balance (¥4,979,985.00).
  expect(await balance()).toBe(497_998_500n);
  expect(await gateway.balance(f.accountNumber)).toEqual({
    accountNumber: f.accountNumber, balance: { minor: 497_998_500n, currency: 'CNY' }, asOf: new Date('2026-12-01T23:59:59.999Z'),
  });
  await events.settle();
  expect(published.map((e) => e.type === 'payment.status_changed' && `${e.payment.reference} ${e.payment.status}`)).toEqual(['PAY-2026-000003 settled']);
  expect((await verifyAuditChain(t.db)).intact).toBe(true);
});

test('the same statement dropped twice is recognised and changes nothing', async () => {
  const entriesBefore = await count('bank_statement_entries');
  const auditBefore = await count('audit_events');
  drop('camt053.xml');
  const [r] = await inbox.processAll();
  expect(r).toMatchObject({ outcome: 'processed', duplicate: true, matched: 0, findings: 0 });
  expect(readdirSync(path.join(inDir, 'processed')).filter((n) => n.startsWith('camt053'))).toHaveLength(2);
  expect(await count('bank_statement_entries')).toBe(entriesBefore);
  expect(await count('audit_events')).toBe(auditBefore);
  expect(findings).toHaveLength(1);
});

test('files being uploaded (hidden or .part) are left alone', async () => {
  drop('pain002.xml', '.upload-in-progress.xml');
  drop('pain002.xml', 'status.xml.part');
  expect(await inbox.processAll()).toEqual([]);
  expect(readdirSync(inDir).sort()).toEqual(['.upload-in-progress.xml', 'failed', 'processed', 'status.xml.part']);
});

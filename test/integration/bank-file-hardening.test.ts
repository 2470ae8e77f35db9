/**
 * Bank-file hardening (issue 20): what review found in the ISO 20022 path, each
 * kept found by a test that failed before the fix.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CommandRouter } from '../../commands/command-router';
import type { BankGateway } from '../../src/banks/bank-gateway';
import { FileGateway } from '../../src/banks/iso20022/file-gateway';
import { BalanceRefresher } from '../../src/jobs/refresh-balances';
import { InboxProcessor } from '../../src/banks/iso20022/inbox-processor';
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { Fixture, seedFixture } from '../support/fixtures';
import { slackActor } from '../support/reliability-world';
import { strictXmlError } from '../support/strict-xml';
import { applyDirectoryFile } from '../../src/services/directory/load-directory';
import { ApiServer, startApiServer } from '../support/api-server';
import { createTestDb, TestDb } from '../support/test-db';

const NOW = new Date('2026-12-01T02:00:00Z');
let t: TestDb;
let f: Fixture;
let dir: string;
let events: PaymentEvents;
let create: CreatePayment;
let gateway: FileGateway;
let outbox: BankOutbox;
let router: CommandRouter;
let api: ApiServer;
let base: string;
let token: string;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  dir = mkdtempSync(path.join(tmpdir(), 'paydesk-hardening-'));
  events = new PaymentEvents();
  create = new CreatePayment(t.db, events, undefined, () => NOW);
  gateway = new FileGateway(t.db, { outboxDir: dir, initiatingParty: 'Test Co', timezone: 'Asia/Shanghai', clock: () => NOW });
  outbox = new BankOutbox(t.db, gateway, events, undefined, () => NOW);
  const cancel = new CancelPayment(t.db, events);
  router = new CommandRouter({ db: t.db, createPayment: create, decideApproval: new DecideApproval(t.db, events), cancelPayment: cancel, defaultLocale: 'en' });
  const made = await apiTokens.create(t.db, { name: 'erp', scopes: ['payments:write', 'payments:read'], createdBy: 'test' });
  if (!made.ok) throw new Error(made.code);
  token = made.value.token;
  api = await startApiServer({ db: t.db, createPayment: create, cancelPayment: cancel, events });
  base = api.base;
});
afterAll(async () => {
  await api.close();
  await events.settle();
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

const paymentCount = async () => Number((await t.db.read((em) => em.execute(`select count(*) as n from payments`)))[0].n);
const visibleFiles = () => readdirSync(dir).filter((n) => !n.startsWith('.')).sort();

describe('bank-bound text: one character gate, at the edge where people type', () => {
  test('the API refuses a purpose with BEL (U+0007) with a clear code, and stores nothing', async () => {
    const before = await paymentCount();
    const res = await fetch(`${base}/api/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'bel-1', 'content-type': 'application/json' },
      body: JSON.stringify({ debtor_account: 'cmb-cny', payee: 'acme', amount: '500', currency: 'CNY', purpose: 'Invoice\u0007 42' }),
    });
    const body = await res.json();
    expect(res.status).toBe(422);
    expect(body.error.code).toBe('BANK_TEXT.ILLEGAL_CHARACTER');
    expect(body.error.message).toContain('U+0007');
    expect(await paymentCount()).toBe(before);
  });

  // The chat tokenizer already drops C0 controls as noise; what it keeps still meets the gate.
  test.each([
    ['a non-character (U+FFFE)', 'Invoice\uFFFE 42', 'U+FFFE'],
    ['an emoji the CNAPS set cannot carry', 'bonus 🎉', 'U+1F389'],
  ])('chat refuses %s back to the person, and stores nothing', async (_what, purpose, char) => {
    const before = await paymentCount();
    const reply = await router.handleText({ actor: slackActor('rita'), text: `/pay new 500 to acme for ${purpose}` });
    expect(reply.view.kind).toBe('message');
    expect(JSON.stringify(reply.view)).toContain(char);
    expect(await paymentCount()).toBe(before);
  });

  test('the gateway is the last gate: an instruction with a control character never joins a batch', async () => {
    const outcome = await gateway.submit({
      endToEndId: 'E2E-BEL-1', reference: 'E2E-BEL-1', amount: { minor: 100n, currency: 'CNY' }, purpose: 'bad\u0007',
      debtor: { accountNumber: f.accountNumber, name: 'Test Co', bankName: 'CMB' },
      creditor: { accountNumber: '6222020000005678', name: 'Acme Ltd', bankName: 'ICBC' },
    });
    expect(outcome).toMatchObject({ status: 'rejected', reason: expect.stringContaining('U+0007') });
    const links = await t.db.read((em) => em.execute(`select count(*)::int as n from bank_file_transactions where end_to_end_id = 'E2E-BEL-1'`));
    expect(links[0].n).toBe(0);
  });

  test('a Chinese purpose goes out as typed and the file passes a strict XML 1.0 parser', async () => {
    const r = await create.execute({
      source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 50_000n, currency: 'CNY' },
      purpose: '货款 12月 & <钢材>', requesterId: f.users.requester, actor: 'user:rita',
    });
    expect(r.ok && r.value.autoApproved).toBe(true);
    await outbox.submitApproved();
    const [file] = visibleFiles();
    const xml = readFileSync(path.join(dir, file), 'utf8');
    expect(strictXmlError(xml)).toBeUndefined();
    expect(xml).toContain('<Ustrd>货款 12月 &amp; &lt;钢材&gt;</Ustrd>');
  });
});

/** A pain.002 for one instruction, wrapped with a Business Application Header as banks send it. */
const wrappedPain002 = (msgId: string, orgnlMsgId: string, e2e: string, status: string) => `<?xml version="1.0" encoding="UTF-8"?>
<BizMsgEnvlp>
  <AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><BizMsgIdr>${msgId}</BizMsgIdr><MsgDefIdr>pain.002.001.10</MsgDefIdr></AppHdr>
  <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
    <GrpHdr><MsgId>${msgId}</MsgId><CreDtTm>2026-12-01T15:20:00+08:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts><OrgnlMsgId>${orgnlMsgId}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts><OrgnlPmtInfId>${orgnlMsgId}</OrgnlPmtInfId>
      <TxInfAndSts><OrgnlEndToEndId>${e2e}</OrgnlEndToEndId><TxSts>${status}</TxSts></TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt></Document>
</BizMsgEnvlp>`;

describe('pain.002 as banks really send it', () => {
  test('an AppHdr-wrapped report with a status code paydesk does not know (ACFC) is applied and shown as the code', async () => {
    const inbox = mkdtempSync(path.join(tmpdir(), 'paydesk-inbox-'));
    try {
      const r = await create.execute({
        source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 70_000n, currency: 'CNY' },
        purpose: 'ACFC check', requesterId: f.users.requester, actor: 'user:rita',
      });
      if (!r.ok) throw new Error(r.code);
      await outbox.submitApproved();
      await outbox.pollSubmitted();
      const [batch] = await t.db.read((em) =>
        em.execute(`select b.message_id from bank_file_batches b join bank_file_transactions x on x.batch_id = b.id where x.payment_id = ?`, [r.value.payment.id]),
      );
      writeFileSync(path.join(inbox, 'sts-1.xml'), wrappedPain002('CMB-STS-ACFC-1', batch.message_id, r.value.payment.endToEndId, 'ACFC'));
      const processor = new InboxProcessor(t.db, events, { inboxDir: inbox, clock: () => NOW });
      expect(await processor.processAll()).toEqual([expect.objectContaining({ file: 'sts-1.xml', kind: 'pain.002', outcome: 'processed' })]);
      const [row] = await t.db.read((em) => em.execute(`select status, bank_status from payments where id = ?`, [r.value.payment.id]));
      expect(row).toEqual({ status: 'submitted', bank_status: 'ACFC' });
      const [link] = await t.db.read((em) => em.execute(`select status from bank_file_transactions where payment_id = ?`, [r.value.payment.id]));
      expect(link.status).toBe('ACFC');
    } finally {
      rmSync(inbox, { recursive: true, force: true });
    }
  });
});

describe('camt.053 and the balance we hold', () => {
  const statement = (id: string, closingDate: string) =>
    readFileSync(path.resolve(__dirname, '../fixtures/iso20022/camt053.xml'), 'utf8')
      .replace('<Id>STMT-6226090000001234-20261201</Id>', `<Id>${id}</Id>`)
      .replace(/(<Cd>CLBD<\/Cd>[\s\S]*?<Dt>\s*<Dt>)2026-12-01/, `$12026-${closingDate}`);
  const balance = async () =>
    (await t.db.read((em) => em.execute(`select balance_minor::text as b, balance_as_of from bank_accounts where id = ?`, [f.accountId])))[0];

  test('an old statement read late does not roll back a newer balance (compared with the bank’s latest figure for the account, not only with earlier statements)', async () => {
    const inbox = mkdtempSync(path.join(tmpdir(), 'paydesk-inbox-'));
    try {
      // The bank's API reports a balance newer than the statement below, through the real refresh job.
      const asOf = new Date('2026-12-03T01:00:00Z');
      // The fixture stamps its balance with the real clock; put it before the bank's answer.
      await t.db.tx((em) => em.execute(`update bank_accounts set balance_as_of = '2026-12-02T00:00:00Z' where id = ?`, [f.accountId]));
      const api: BankGateway = {
        name: 'bank-api', submit: async () => ({ status: 'accepted' }), status: async () => ({ status: 'unknown' }),
        balance: async (accountNumber) => ({ accountNumber, balance: { minor: 123_456_789n, currency: 'CNY' }, asOf }),
      };
      await new BalanceRefresher(t.db, api, { info: () => {}, warn: () => {}, error: () => {} } as never).run();
      expect((await balance()).b).toBe('123456789');
      const processor = new InboxProcessor(t.db, events, { inboxDir: inbox, clock: () => NOW });
      writeFileSync(path.join(inbox, 'stmt-old.xml'), statement('STMT-OLD', '12-01'));
      expect(await processor.processAll()).toEqual([expect.objectContaining({ kind: 'camt.053', outcome: 'processed' })]);
      const after = await balance();
      expect({ b: after.b, asOf: new Date(after.balance_as_of) }).toEqual({ b: '123456789', asOf });

      // A statement newer than what we hold is taken (the control: the file itself is fine).
      writeFileSync(path.join(inbox, 'stmt-new.xml'), statement('STMT-NEW', '12-04'));
      await processor.processAll();
      expect((await balance()).b).toBe('497998500');
    } finally {
      rmSync(inbox, { recursive: true, force: true });
    }
  });
});

describe('queued until the file is published', () => {
  test('a payment in an open batch is queued (no ACSP); it is submitted once its pain.001 file is out', async () => {
    const r = await create.execute({
      source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 80_000n, currency: 'CNY' },
      purpose: 'queued check', requesterId: f.users.requester, actor: 'user:rita',
    });
    if (!r.ok) throw new Error(r.code);
    const id = r.value.payment.id;
    const filesBefore = visibleFiles();
    const row = async () => (await t.db.read((em) => em.execute(`select status, bank_status, submitted_at from payments where id = ?`, [id])))[0];

    expect(await outbox.submitOne(id)).toBe(true);
    expect(visibleFiles()).toEqual(filesBefore); // nothing the bank could see
    expect(await row()).toEqual({ status: 'queued', bank_status: null, submitted_at: null });
    expect(await gateway.status(r.value.payment.endToEndId)).toEqual({ status: 'queued' });
    // A poll before the file exists changes nothing.
    await outbox.pollSubmitted();
    expect((await row()).status).toBe('queued');

    await gateway.flush();
    expect(visibleFiles().length).toBe(filesBefore.length + 1);
    await outbox.pollSubmitted();
    expect(await row()).toMatchObject({ status: 'submitted', bank_status: 'ACSP' });
    const actions = await t.db.read((em) =>
      em.execute(`select action, data->>'bankStatus' as bank from audit_events where subject_id = ? order by seq`, [r.value.payment.reference]),
    );
    expect(actions.map((a: any) => a.action)).toEqual(['payment.created', 'payment.auto_approved', 'payment.queued', 'payment.submitted']);
  });

  test('one outbox round publishes and then records submitted, so nothing stays queued after a normal round', async () => {
    const r = await create.execute({
      source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 90_000n, currency: 'CNY' },
      purpose: 'round check', requesterId: f.users.requester, actor: 'user:rita',
    });
    if (!r.ok) throw new Error(r.code);
    await outbox.submitApproved();
    const [row] = await t.db.read((em) => em.execute(`select status, bank_status from payments where id = ?`, [r.value.payment.id]));
    expect(row).toEqual({ status: 'submitted', bank_status: 'ACSP' });
  });
});

describe('who the file says is paying', () => {
  test('initiating party and debtor are the company legal name from the directory, not "paydesk" or the account nickname', async () => {
    const db2 = await createTestDb();
    const out2 = mkdtempSync(path.join(tmpdir(), 'paydesk-legal-'));
    const ev = new PaymentEvents();
    try {
      await applyDirectoryFile(db2.db, path.resolve(__dirname, '../../demo/demo-company.yaml'), { actor: 'system:test' });
      const id = async (sql: string) => (await db2.db.read((em) => em.execute(sql)))[0].id as string;
      const gw = new FileGateway(db2.db, { outboxDir: out2, timezone: 'Asia/Shanghai', clock: () => NOW });
      const r = await new CreatePayment(db2.db, ev, undefined, () => NOW).execute({
        source: 'chat', debtorAccountId: await id(`select id from bank_accounts where code = 'cmb-cny-main'`),
        payeeId: await id(`select id from payees where code = 'acme'`), amount: { minor: 50_000n, currency: 'CNY' },
        purpose: 'legal name check', requesterId: await id(`select id from users where handle = 'alice'`), actor: 'user:alice',
      });
      if (!r.ok) throw new Error(r.code);
      if (!r.value.autoApproved) {
        const approved = await new DecideApproval(db2.db, ev).execute({
          paymentId: r.value.payment.id, approverId: await id(`select id from users where handle = 'bob'`), decision: 'approve', via: 'test',
        });
        expect(approved.ok).toBe(true);
      }
      await new BankOutbox(db2.db, gw, ev, undefined, () => NOW).submitApproved();
      const [file] = readdirSync(out2).filter((n) => !n.startsWith('.'));
      const xml = readFileSync(path.join(out2, file), 'utf8');
      expect(xml).toMatch(/<InitgPty>\s*<Nm>演示贸易有限公司<\/Nm>/);
      expect(xml).toMatch(/<Dbtr>\s*<Nm>演示贸易有限公司<\/Nm>/);
      expect(xml).not.toContain('paydesk');
      expect(strictXmlError(xml)).toBeUndefined();
    } finally {
      await ev.settle();
      await db2.drop();
      rmSync(out2, { recursive: true, force: true });
    }
  });
});

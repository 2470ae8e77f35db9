/**
 * Arbitrary Unicode into ISO 20022 bank files (issue 20).
 *  1. 10,000 texts through the one bank-text gate in both profiles, as purpose and as
 *     party names, into pain.001: every file a strict XML 1.0 parser accepts, every
 *     refusal a stable code with a sentence in both languages.
 *  2. The same kinds of text through the real doors, the REST API and chat, into the
 *     file gateway (FUZZ_E2E_RUNS, 500 by default: each case is a real payment and
 *     costs ~0.1 s on the shared CI machine): accepted payments reach a strict-valid
 *     file, refused ones leave no row behind.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'node:http';
import { CommandRouter } from '../../commands/command-router';
import { FileGateway } from '../../src/banks/iso20022/file-gateway';
import { buildPain001 } from '../../src/banks/iso20022/pain001.builder';
import { BankTextProfile, toBankText } from '../../src/domain/bank-text';
import { t as say } from '../../src/domain/i18n';
import { checkPurpose } from '../../src/services/payments/purpose';
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { BankOutbox } from '../../src/services/bank/bank-outbox';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { seedFixture } from '../support/fixtures';
import { count, slackActor } from '../support/reliability-world';
import { strictXmlError } from '../support/strict-xml';
import { ApiServer, startApiServer } from '../support/api-server';
import { createTestDb, TestDb } from '../support/test-db';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const E2E_RUNS = Number(process.env.FUZZ_E2E_RUNS ?? 500);
const NOW = new Date('2026-12-01T02:00:00Z');
let t: TestDb;
let dir: string;
let events: PaymentEvents;
let router: CommandRouter;
let outbox: BankOutbox;
let gateway: FileGateway;
let api: ApiServer;
let port: number;
let token: string;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  t = await createTestDb();
  await seedFixture(t.db);
  dir = mkdtempSync(path.join(tmpdir(), 'paydesk-fuzz-bank-'));
  events = new PaymentEvents();
  const create = new CreatePayment(t.db, events, undefined, () => NOW);
  const cancel = new CancelPayment(t.db, events);
  router = new CommandRouter({ db: t.db, createPayment: create, decideApproval: new DecideApproval(t.db, events), cancelPayment: cancel, defaultLocale: 'en' });
  gateway = new FileGateway(t.db, { outboxDir: dir, initiatingParty: 'Fuzz Co 模糊测试有限公司', timezone: 'Asia/Shanghai', clock: () => NOW });
  outbox = new BankOutbox(t.db, gateway, events, undefined, () => NOW);
  const made = await apiTokens.create(t.db, { name: 'erp', scopes: ['payments:write', 'payments:read'], createdBy: 'test' });
  if (!made.ok) throw new Error(made.code);
  token = made.value.token;
  api = await startApiServer({ db: t.db, createPayment: create, cancelPayment: cancel, events });
  port = api.port;
});
afterAll(async () => {
  agent.destroy();
  await api.close();
  await events.settle();
  await t.drop();
  rmSync(dir, { recursive: true, force: true });
});

function post(body: string, key: string): Promise<{ status: number; text: string }> {
  const headers = {
    authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)),
  };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/payments', headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// Every kind of text people (and ERPs) send: any code point incl. lone surrogates and controls,
// Chinese, accented Latin, emoji, XML metacharacters; sometimes wrapped around a plain word.
const CJK = fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)), minLength: 1, maxLength: 20 });
const NASTY = fc.constantFrom('\u0007', '\u0000', '\uFFFE', '\uFFFF', '\uD800', '\uDC00', '\u0085', '\u001B[31m', '\r\n', '\t', '<', '&', ']]>', '"', "'", '🎉', 'é', 'ß', '\u202E', '\u200B');
const purpose = fc.oneof(
  fc.string({ maxLength: 60 }), // printable ASCII: what most ERPs send
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  CJK,
  fc.tuple(fc.string({ maxLength: 10 }), NASTY, CJK).map(([a, b, c]) => `${a}${b}${c}`),
  fc.array(NASTY, { minLength: 1, maxLength: 5 }).map((xs) => `Invoice ${xs.join('')} 42`),
);
const ERROR_CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)+$/;

test('10,000 arbitrary texts through the bank-text gate into pain.001: strict XML 1.0 or a clear refusal', () => {
  let accepted = 0;
  let refused = 0;
  fc.assert(
    fc.property(fc.constantFrom<BankTextProfile>('cnaps', 'swift'), purpose, purpose, (profile, text, name) => {
      const p = checkPurpose(text, profile);
      const n = toBankText(name.trim() || 'x', profile, 'creditor name');
      if (!p.ok || !n.ok) {
        refused += 1;
        for (const r of [p, n]) {
          if (r.ok) continue;
          expect(r.code).toMatch(/^(BANK_TEXT\.(ILLEGAL|UNSUPPORTED)_CHARACTER|PAYMENT\.PURPOSE_(REQUIRED|TOO_LONG))$/);
          for (const locale of ['en', 'zh-CN'] as const) expect(say(locale, r.code, r.params)).not.toBe(r.code);
        }
        return;
      }
      accepted += 1;
      const purposeText = toBankText(p.value, profile);
      if (!purposeText.ok) throw new Error('checkPurpose accepted what toBankText refuses');
      const xml = buildPain001({
        messageId: 'PDFUZZ', createdAt: NOW, initiatingParty: n.value, currency: 'CNY', executionDate: '2026-12-01',
        debtor: { name: n.value, accountNumber: '6226090000001234', bankName: 'CMB' },
        transactions: [{
          endToEndId: 'PDFUZZ1', instructionId: 'PAY-1', amount: { minor: 100n, currency: 'CNY' },
          creditor: { name: n.value, accountNumber: '6222020000005678', bankName: 'ICBC' }, remittance: purposeText.value,
        }],
      });
      expect(strictXmlError(xml)).toBeUndefined();
    }),
    { numRuns: RUNS },
  );
  // Purpose and name must both pass, so most pairs hold something a bank refuses.
  expect(accepted).toBeGreaterThan(RUNS / 20);
  expect(refused).toBeGreaterThan(RUNS / 10);
});

test('arbitrary Unicode through the API and chat into the file gateway: strict-XML-valid files or clear refusals with nothing stored', async () => {
  let accepted = 0;
  let refused = 0;
  let i = 0;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('api', 'chat'), purpose, async (door, text) => {
      i += 1;
      // Distinct amounts (yuan, ≤ ¥10,000 so auto-approved) keep every payment its own.
      const yuan = 1 + (i % 9_000);
      const before = await count(t.db, `select count(*) as n from payments`);
      let ok: boolean;
      if (door === 'api') {
        const res = await post(JSON.stringify({ debtor_account: 'cmb-cny', payee: 'acme', amount: String(yuan), currency: 'CNY', purpose: text }), `fz-${i}`);
        expect(res.status).toBeLessThan(500);
        ok = res.status === 201;
        if (!ok) {
          const json = JSON.parse(res.text);
          expect(json.error.code).toMatch(ERROR_CODE);
          expect(json.error.message.length > 0 && json.error.message !== json.error.code).toBe(true);
        }
      } else {
        const reply = await router.handleText({ actor: slackActor('rita'), text: `/pay new ${yuan} to acme for ${text}` });
        ok = reply.view.kind === 'card';
        if (!ok) {
          expect(reply.view.kind).toBe('message');
          expect(JSON.stringify(reply.view)).not.toMatch(/"[A-Z_]+\.[A-Z_]+"/); // words, not a bare code
        }
      }
      const after = await count(t.db, `select count(*) as n from payments`);
      expect(after).toBe(before + (ok ? 1 : 0));
      if (ok) accepted += 1;
      else refused += 1;
    }),
    { numRuns: E2E_RUNS },
  );
  // Both outcomes happened, or the test proved little.
  expect(accepted).toBeGreaterThan(E2E_RUNS / 10);
  expect(refused).toBeGreaterThan(E2E_RUNS / 10);

  // Every accepted payment reaches a file; every file is XML 1.0 a strict parser accepts.
  await outbox.submitApproved(E2E_RUNS);
  const files = readdirSync(dir).filter((n) => !n.startsWith('.'));
  expect(files.length).toBeGreaterThan(0);
  let transactions = 0;
  for (const name of files) {
    const xml = readFileSync(path.join(dir, name), 'utf8');
    expect({ name, error: strictXmlError(xml) }).toEqual({ name, error: undefined });
    transactions += (xml.match(/<EndToEndId>/g) ?? []).length;
  }
  expect(transactions).toBe(accepted);
  expect(await count(t.db, `select count(*) as n from payments where status = 'submitted'`)).toBe(accepted);
}, Math.max(600_000, E2E_RUNS * 250));

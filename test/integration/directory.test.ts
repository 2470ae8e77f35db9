import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AlertRouteEntity,
  ApprovalPolicyEntity,
  BankAccountEntity,
  PayeeEntity,
  SandboxAccountEntity,
  UserEntity,
} from '../../src/persistence/entities';
import { DirectoryError } from '../../src/services/directory/directory.errors';
import {
  applyDirectory,
  applyDirectoryFile,
  isDirectoryEmpty,
  parseDirectoryFile,
} from '../../src/services/directory/load-directory';
import type { Directory } from '../../src/services/directory/directory.schema';
import { verifyAuditChain } from '../../src/services/audit/verify-audit-chain';
import { createTestDb, TestDb } from '../support/test-db';

const DEMO_PATH = path.join(__dirname, '../../demo/demo-company.yaml');
const DEMO = readFileSync(DEMO_PATH, 'utf8');
const NOW = new Date('2026-12-01T02:00:00Z');
const opts = { actor: 'system:test', now: NOW };

function parse(text: string): Directory {
  const r = parseDirectoryFile(text, 'demo-company.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => {
  await t.drop();
});

const count = (sql: string) => t.db.read(async (em) => Number((await em.execute(sql))[0].n));
const auditCount = () => count(`select count(*) as n from audit_events`);
const tableCounts = () =>
  t.db.read(async (em) => ({
    users: await em.count(UserEntity, {}),
    accounts: await em.count(BankAccountEntity, {}),
    payees: await em.count(PayeeEntity, {}),
    policies: await em.count(ApprovalPolicyEntity, {}),
    routes: await em.count(AlertRouteEntity, {}),
    sandbox: await em.count(SandboxAccountEntity, {}),
  }));
const ZERO = { users: 0, accounts: 0, payees: 0, policies: 0, routes: 0, sandbox: 0 };

// Order matters: each test builds on the state the previous one left.
test('a malformed file writes nothing at all', async () => {
  expect(await isDirectoryEmpty(t.db)).toBe(true);
  // Valid YAML and shape, but a late account has no policy: the users before it must not be written either.
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'paydesk-dir-')), 'broken.yaml');
  writeFileSync(file, DEMO.replace('currency: USD\n    openingBalance: "800,000"', 'currency: EUR\n    openingBalance: "800,000"'));
  const err = await applyDirectoryFile(t.db, file, opts).catch((e: unknown) => e);
  rmSync(path.dirname(file), { recursive: true, force: true });
  expect(err).toBeInstanceOf(DirectoryError);
  expect((err as DirectoryError).message).toMatch(/broken\.yaml:\d+: accounts\.1\.currency: approvalPolicy has no EUR tiers/);
  expect(await tableCounts()).toEqual(ZERO);
  expect(await auditCount()).toBe(0);
});

test('applying the demo creates every record with one audit event each', async () => {
  const summary = await applyDirectory(t.db, parse(DEMO), opts);
  expect(summary).toEqual({ created: 1 + 5 + 3 + 5 + 2 + 4, updated: 0, unchanged: 0 }); // the company row first
  expect(await tableCounts()).toEqual({ users: 5, accounts: 3, payees: 5, policies: 2, routes: 4, sandbox: 3 });
  expect(await isDirectoryEmpty(t.db)).toBe(false);

  const actions: { action: string; n: number }[] = await t.db.read((em) =>
    em.execute(`select action, count(*)::int as n from audit_events group by action order by action`),
  );
  expect(Object.fromEntries(actions.map((a) => [a.action, a.n]))).toEqual({
    'directory.account.created': 3,
    'directory.company.created': 1,
    'directory.alert_route.created': 4,
    'directory.payee.created': 5,
    'directory.policy.created': 2,
    'directory.user.created': 5,
  });
  const accountEvent = await t.db.read((em) =>
    em.execute(`select data from audit_events where action = 'directory.account.created' limit 1`),
  );
  // Full account numbers never reach the audit log (it is shown in chat).
  expect(accountEvent[0].data.accountNumber).toMatch(/^\*\*\*\* \d{4}$/);

  const bob = await t.db.read((em) => em.findOneOrFail(UserEntity, { handle: 'bob' }));
  expect(bob.approvalLimits).toEqual({ CNY: '20000000', USD: '3000000' });
  expect(bob.slackUserId).toBe('U0BOB');
  const main = await t.db.read((em) => em.findOneOrFail(BankAccountEntity, { code: 'cmb-cny-main' }));
  expect(main.balanceMinor).toBe(500_000_000n);
  const sandbox = await t.db.read((em) => em.findOneOrFail(SandboxAccountEntity, { accountNumber: main.accountNumber }));
  expect(sandbox).toMatchObject({ currency: 'CNY', balanceMinor: 500_000_000n });
  const newPayee = await t.db.read((em) => em.findOneOrFail(PayeeEntity, { code: 'lianchuang' }));
  expect(newPayee.coolingOffUntil).toEqual(new Date(NOW.getTime() + 7 * 86_400_000));
});

test('re-applying the same file (even later) changes nothing and audits nothing', async () => {
  const before = await auditCount();
  const summary = await applyDirectoryFile(t.db, DEMO_PATH, { actor: 'system:test', now: new Date('2027-01-01T00:00:00Z') });
  expect(summary).toEqual({ created: 0, updated: 0, unchanged: 20 });
  expect(await auditCount()).toBe(before);
});

test('a re-apply never resets a live balance', async () => {
  await t.db.tx(async (em) => {
    const main = await em.findOneOrFail(BankAccountEntity, { code: 'cmb-cny-main' });
    main.balanceMinor = 123_456n;
    const sandbox = await em.findOneOrFail(SandboxAccountEntity, { accountNumber: main.accountNumber });
    sandbox.balanceMinor = 123_456n;
  });
  expect((await applyDirectory(t.db, parse(DEMO), opts)).updated).toBe(0);
  const main = await t.db.read((em) => em.findOneOrFail(BankAccountEntity, { code: 'cmb-cny-main' }));
  expect(main.balanceMinor).toBe(123_456n);
  const sandbox = await t.db.read((em) => em.findOneOrFail(SandboxAccountEntity, { accountNumber: main.accountNumber }));
  expect(sandbox.balanceMinor).toBe(123_456n);
});

test('a changed limit is one update and one audit event naming the change', async () => {
  const before = await auditCount();
  const edited = DEMO.replace('approvalLimits: { CNY: "200,000", USD: "30,000" }', 'approvalLimits: { CNY: "250,000", USD: "30,000" }');
  expect(edited).not.toBe(DEMO);
  const summary = await applyDirectory(t.db, parse(edited), opts);
  expect(summary).toEqual({ created: 0, updated: 1, unchanged: 19 });
  expect(await auditCount()).toBe(before + 1);
  const [event] = await t.db.read((em) => em.execute(`select * from audit_events order by seq desc limit 1`));
  expect(event).toMatchObject({ action: 'directory.user.updated', subject_type: 'user', subject_id: 'bob' });
  expect(event.data).toEqual({
    handle: 'bob',
    changes: { approvalLimits: { from: { CNY: '20000000', USD: '3000000' }, to: { CNY: '25000000', USD: '3000000' } } },
  });
  const bob = await t.db.read((em) => em.findOneOrFail(UserEntity, { handle: 'bob' }));
  expect(bob.approvalLimits.CNY).toBe('25000000');
});

test('a policy edit bumps its version; Slack ids can swap between people in one file', async () => {
  const edited = DEMO.replace('{ upTo: "10,000", approvals: 0', '{ upTo: "5,000", approvals: 0')
    .replace('slack: U0ALICE', 'slack: U0TEMP')
    .replace('slack: U0BOB', 'slack: U0ALICE')
    .replace('slack: U0TEMP', 'slack: U0BOB');
  const summary = await applyDirectory(t.db, parse(edited), opts);
  // bob's limit returns to 200,000 as well: 1 policy + alice + bob.
  expect(summary).toMatchObject({ created: 0, updated: 3 });
  const policy = await t.db.read((em) => em.findOneOrFail(ApprovalPolicyEntity, { currency: 'CNY' }));
  expect(policy.version).toBe(2);
  expect(policy.tiers[0].upTo).toBe('500000');
  const alice = await t.db.read((em) => em.findOneOrFail(UserEntity, { handle: 'alice' }));
  expect(alice.slackUserId).toBe('U0BOB');
});

test('changing the number of an existing account is refused and changes nothing', async () => {
  const before = await auditCount();
  const edited = DEMO.replace('number: "6226090000001234"', 'number: "6226090000009999"').replace('name: Bob Miller', 'name: Robert Miller');
  await expect(applyDirectory(t.db, parse(edited), opts)).rejects.toThrow(/cannot change the number/);
  expect(await auditCount()).toBe(before);
  const bob = await t.db.read((em) => em.findOneOrFail(UserEntity, { handle: 'bob' }));
  expect(bob.name).toBe('Bob Miller');
});

test('renaming an account code onto a known number is a conflict and rolls back the whole file', async () => {
  const before = { counts: await tableCounts(), audit: await auditCount() };
  // Fine as a file, but the database already has this number under code cmb-cny-main.
  const edited = DEMO.replace('code: cmb-cny-main', 'code: cmb-cny-ops').replace('name: Bob Miller', 'name: Robert Miller');
  const err = await applyDirectory(t.db, parse(edited), opts).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DirectoryError);
  expect((err as DirectoryError).code).toBe('DIRECTORY.CONFLICT');
  expect((err as DirectoryError).message).toBe('accounts[cmb-cny-ops].number: account number is already used by account "cmb-cny-main"');
  expect(await tableCounts()).toEqual(before.counts);
  expect(await auditCount()).toBe(before.audit);
  const bob = await t.db.read((em) => em.findOneOrFail(UserEntity, { handle: 'bob' }));
  expect(bob.name).toBe('Bob Miller');
});

test('every directory audit event verifies in the hash chain', async () => {
  expect(await verifyAuditChain(t.db)).toMatchObject({ intact: true, checked: await auditCount() });
});

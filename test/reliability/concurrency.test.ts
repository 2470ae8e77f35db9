/**
 * 100 payments, every approver tapping at once, duplicate clicks delivered to two
 * routers (as two paydesk processes would receive a platform's retry), then two
 * bank-outbox workers racing: exactly the needed votes count, each payment reaches
 * the bank once, and every balance is the opening balance minus what settled.
 */
import type { ActionReply } from '../../commands/contracts';
import { CommandRouter } from '../../commands/command-router';
import { verifyAuditChain } from '../../src/services/audit/verify-audit-chain';
import { Fixture, seedFixture } from '../support/fixtures';
import { buildCore, buildRouter, buttonValue, Core, count, slackActor } from '../support/reliability-world';
import { createTestDb, TestDb } from '../support/test-db';

const PAYMENTS = 100;
// Not enough for all of them: the bank must refuse the ones that no longer fit, never overdraw.
const OPENING = 1_500_000_000n; // ¥15,000,000
const small = 5_000_000n; // ¥50,000: one approval
const large = 50_000_000n; // ¥500,000: two approvals, one a treasurer
// adam and amy are approvers only, tess a treasurer, appr0 both: a two-vote payment can stall on the treasurer rule.
const APPROVERS = ['adam', 'amy', 'tess', 'appr0'];

let t: TestDb;
let f: Fixture;
let core: Core;
let routers: CommandRouter[];
const payments: { id: string; needed: number }[] = [];

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db, { balanceMinor: OPENING, extraApprovers: 1 });
  core = buildCore(t.db);
  routers = [buildRouter(t.db, core), buildRouter(t.db, core)];
  for (let i = 0; i < PAYMENTS; i++) {
    const r = await core.create.execute({
      source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: i % 2 ? large : small, currency: 'CNY' },
      purpose: `concurrency ${i}`, requesterId: f.users.requester, actor: 'user:rita',
    });
    if (!r.ok) throw new Error(r.code);
    payments.push({ id: r.value.payment.id, needed: i % 2 ? 2 : 1 });
  }
}, 60_000);
afterAll(async () => {
  await core.events.settle();
  await t.drop();
}, 60_000);

const version = async (id: string) => count(t.db, `select version as n from payments where id = ?`, [id]);

/**
 * One round: every approver taps Approve on the card as it is now, each tap delivered twice
 * (same receipt) to both routers, all payments at once. A card shows one version, so at most
 * one tap per payment per round can count; the rest see a stale card or a duplicate.
 */
async function round(n: number): Promise<ActionReply[]> {
  const taps: Promise<ActionReply>[] = [];
  for (const p of payments) {
    const value = buttonValue(p.id, await version(p.id));
    for (const who of APPROVERS) {
      const req = { actor: slackActor(who), actionId: 'payment.approve', value, receiptId: `r${n}:${p.id}:${who}` };
      taps.push(routers[0].handleAction(req), routers[1].handleAction(req));
    }
  }
  return Promise.all(taps);
}

test('simultaneous approvals and duplicate clicks: exactly the needed votes, one bank transfer each, balances add up', async () => {
  // Round 3 finds everything approved: it proves no extra vote slips in after the last needed one.
  const replies: ActionReply[] = [];
  for (const n of [1, 2, 3]) replies.push(...(await round(n)));
  expect(replies.length).toBe(3 * PAYMENTS * APPROVERS.length * 2);
  // Duplicates were answered as duplicates, not acted on twice.
  expect(replies.filter((r) => r.view.kind === 'message' && r.view.text.startsWith('This tap was already handled')).length).toBeGreaterThan(0);
  expect(await count(t.db, `select count(*) as n from interaction_receipts`)).toBe(3 * PAYMENTS * APPROVERS.length);

  for (const p of payments) {
    const votes = await count(t.db, `select count(*) as n from approvals where payment_id = ?`, [p.id]);
    expect({ id: p.id, votes }).toEqual({ id: p.id, votes: p.needed });
  }
  expect(await count(t.db, `select count(*) as n from payments where status <> 'approved'`)).toBe(0);
  // A two-approval payment always has its treasurer.
  expect(
    await count(t.db, `select count(*) as n from payments p where amount_minor = ? and not exists (
      select 1 from approvals a join users u on u.id = a.approver_id where a.payment_id = p.id and 'treasurer' = any(u.roles))`, [large.toString()]),
  ).toBe(0);

  // Two outbox workers, as two processes: SKIP LOCKED shares the work, end-to-end ids keep it single.
  const second = buildCore(t.db);
  const worker = async (c: Core) => {
    for (let i = 0; i < 200 && (await count(t.db, `select count(*) as n from payments where status in ('approved','submitted')`)) > 0; i++) {
      await c.outbox.submitApproved(20);
      await c.outbox.pollSubmitted(20);
    }
  };
  await Promise.all([worker(core), worker(second)]);
  expect(await count(t.db, `select count(*) as n from payments where status not in ('settled','failed')`)).toBe(0);

  expect(await count(t.db, `select count(*) as n from sandbox_bank_transfers`)).toBe(PAYMENTS);
  expect(await count(t.db, `select count(*) as n from sandbox_bank_transfers t join payments p on p.end_to_end_id = t.end_to_end_id`)).toBe(PAYMENTS);
  const failed = await count(t.db, `select count(*) as n from payments where status = 'failed'`);
  expect(failed).toBeGreaterThan(0); // the opening balance was meant to run out
  expect(await count(t.db, `select count(*) as n from payments where status = 'failed' and bank_reason not like 'AM04%'`)).toBe(0);

  const settled = BigInt(await count(t.db, `select coalesce(sum(amount_minor), 0) as n from payments where status = 'settled'`));
  const ours = BigInt(await count(t.db, `select balance_minor as n from bank_accounts where id = ?`, [f.accountId]));
  const bank = BigInt(await count(t.db, `select balance_minor as n from sandbox_bank_accounts where account_number = ?`, [f.accountNumber]));
  expect(ours).toBe(OPENING - settled);
  expect(bank).toBe(OPENING - settled);
  expect(ours >= 0n).toBe(true);

  expect(await count(t.db, `select count(*) as n from audit_events where action = 'approval.approved'`)).toBe(
    await count(t.db, `select count(*) as n from approvals`),
  );
  expect((await verifyAuditChain(t.db)).intact).toBe(true);
// ~20 s alone; CI runs it beside the crash-recovery processes on two cores, where it has taken over 90 s.
}, 240_000);

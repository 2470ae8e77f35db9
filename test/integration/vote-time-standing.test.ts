/**
 * A vote counts with the standing its voter had when casting it (issue 20):
 * promoting or demoting someone afterwards does not change whether the tier's
 * "including a treasurer" holds; the roles and limit are stored on the vote.
 * Pending approvals of a person deactivated since are voided (they do not count
 * while the person is inactive): another approver must stand in.
 */
import { PaymentEvents } from '../../src/services/events';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let create: CreatePayment;
let decide: DecideApproval;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents();
  create = new CreatePayment(t.db, events);
  decide = new DecideApproval(t.db, events);
});
afterAll(async () => {
  await events.settle();
  await t.drop();
});

/** ¥300,000: the top tier, two approvals including a treasurer. */
async function bigPayment(): Promise<string> {
  const r = await create.execute({
    source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 30_000_000n, currency: 'CNY' },
    purpose: 'vote standing', requesterId: f.users.requester, actor: 'user:rita',
  });
  if (!r.ok) throw new Error(r.code);
  return r.value.payment.id;
}
const approve = (paymentId: string, approverId: string) => decide.execute({ paymentId, approverId, decision: 'approve', via: 'test' });
const setRoles = (id: string, roles: string[]) => t.db.tx((em) => em.execute(`update users set roles = ?::text[] where id = ?`, [`{${roles.join(',')}}`, id]));
const setActive = (id: string, active: boolean) => t.db.tx((em) => em.execute(`update users set active = ? where id = ?`, [active, id]));
const status = async (id: string) => (await t.db.read((em) => em.execute(`select status from payments where id = ?`, [id])))[0].status;

afterEach(async () => {
  await setRoles(f.users.approver, ['approver']);
  await setRoles(f.users.treasurer, ['treasurer']);
  await setActive(f.users.approver, true);
});

test('an approver promoted to treasurer after voting does not retroactively satisfy "including a treasurer"', async () => {
  const id = await bigPayment();
  expect((await approve(id, f.users.approver)).ok).toBe(true);
  await setRoles(f.users.approver, ['approver', 'treasurer']);
  const second = await approve(id, f.users.approver2);
  // The last slot is the treasurer's: the second plain approver is refused, and nothing is released.
  expect(second).toMatchObject({ ok: false, code: 'APPROVAL.NEEDS_ROLE' });
  expect(await status(id)).toBe('pending_approval');
});

test('a treasurer demoted after voting still counted as the treasurer they were', async () => {
  const id = await bigPayment();
  expect((await approve(id, f.users.treasurer)).ok).toBe(true);
  await setRoles(f.users.treasurer, ['approver']);
  expect(await approve(id, f.users.approver)).toMatchObject({ ok: true, value: { outcome: { state: 'approved' } } });
  expect(await status(id)).toBe('approved');
});

test('the vote keeps the roles and the limit it was cast with', async () => {
  const id = await bigPayment();
  await approve(id, f.users.treasurer);
  const [row] = await t.db.read((em) =>
    em.execute(`select approver_roles, approver_limit_minor::text as lim from approvals where payment_id = ?`, [id]),
  );
  expect(row).toEqual({ approver_roles: ['treasurer'], lim: '100000000000' });
});

test('a pending approval by someone deactivated since is void: another approver must stand in', async () => {
  const id = await bigPayment();
  expect((await approve(id, f.users.approver)).ok).toBe(true);
  await setActive(f.users.approver, false);
  // Without the void the treasurer's vote would release it (2 approvals incl. a treasurer).
  const r = await approve(id, f.users.treasurer);
  expect(r).toMatchObject({ ok: true, value: { outcome: { state: 'pending', remaining: 1 } } });
  expect(await status(id)).toBe('pending_approval');
  expect((await approve(id, f.users.approver2)).ok).toBe(true);
  expect(await status(id)).toBe('approved');
});

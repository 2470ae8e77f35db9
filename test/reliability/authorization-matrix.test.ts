/**
 * Who may do what, as one explicit table: every role × every action × the actor's
 * own payment or someone else's, through CommandRouter (typed commands, and the
 * card buttons for the deciding actions). A cell passes only when the reply AND
 * the database agree: an allowed action changed what it should, a refused one
 * changed nothing. Every other chat action (schedules, alerts, holds, holidays, links,
 * exports, API tokens) is in authorization-matrix-all.test.ts; API scopes in api-scope-matrix.test.ts.
 */
import type { Reply } from '../../commands/view/view';
import type { Role } from '../../src/domain/approval/approval-policy';
import { Fixture, seedFixture } from '../support/fixtures';
import { addUser, buildCore, buildRouter, buttonValue, Core, count, slackActor, tableCounts } from '../support/reliability-world';
import { createTestDb, TestDb } from '../support/test-db';
import type { CommandRouter } from '../../commands/command-router';

type Who = Role | 'unmapped';
const COLUMNS = ['create', 'approve:own', 'approve:other', 'reject:own', 'reject:other', 'cancel:own', 'cancel:other', 'show:own', 'show:other', 'list', 'balance'] as const;
type Column = (typeof COLUMNS)[number];

/*
 * Y allowed, N refused, - cannot happen (an approver or a stranger never owns a payment:
 * only requesters, treasurers and admins may request one).
 * Approving needs a role the policy tier names (approver, treasurer) and never one's own
 * payment; cancelling is the requester's or an admin's; reading is for anyone mapped.
 */
const MATRIX: Record<Who, string> = {
  //            create  approve  reject   cancel   show     list  balance
  //                    own oth  own oth  own oth  own oth
  requester:   'Y       N   N    N   N    Y   N    Y   Y    Y     Y',
  approver:    'N       -   Y    -   Y    -   N    -   Y    Y     Y',
  treasurer:   'Y       N   Y    N   Y    Y   N    Y   Y    Y     Y',
  admin:       'Y       N   N    N   N    Y   Y    Y   Y    Y     Y',
  auditor:     'N       -   N    -   N    -   N    -   Y    Y     Y',
  unmapped:    'N       -   N    -   N    -   N    -   N    N     N',
};

const expected = (who: Who, column: Column): 'Y' | 'N' | '-' => MATRIX[who].trim().split(/\s+/)[COLUMNS.indexOf(column)] as 'Y' | 'N' | '-';
const HANDLES: Record<Who, string> = { requester: 'req', approver: 'apr', treasurer: 'tre', admin: 'adm', auditor: 'aud', unmapped: 'nobody' };
const BIG = { CNY: 100_000_000_000n };

let t: TestDb;
let f: Fixture;
let core: Core;
let router: CommandRouter;
const ids: Partial<Record<Who, string>> = {};

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  core = buildCore(t.db);
  router = buildRouter(t.db, core);
  ids.requester = await addUser(t.db, 'req', ['requester']);
  ids.approver = await addUser(t.db, 'apr', ['approver'], BIG);
  ids.treasurer = await addUser(t.db, 'tre', ['treasurer'], BIG);
  ids.admin = await addUser(t.db, 'adm', ['admin']);
  ids.auditor = await addUser(t.db, 'aud', ['auditor']);
});
afterAll(async () => {
  await core.events.settle();
  await t.drop();
});

/** A fresh ¥50,000 payment (one approval needed) requested by `ownerId`. */
async function pendingPayment(ownerId: string) {
  const r = await core.create.execute({
    source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 5_000_000n, currency: 'CNY' },
    purpose: 'matrix', requesterId: ownerId, actor: 'user:matrix',
  });
  if (!r.ok) throw new Error(r.code);
  return r.value.payment;
}

const state = async (id: string) => {
  const rows = await t.db.read((em) => em.execute(`select status, (select count(*)::int from approvals where payment_id = p.id) as votes from payments p where id = ?`, [id]));
  return rows[0] as { status: string; votes: number };
};

/** Did the action do what it is for? Judged from the database, not from the wording of the reply. */
async function effectOf(action: string, reply: Reply, before: Record<string, number>, paymentId?: string): Promise<boolean> {
  const after = await tableCounts(t.db);
  if (action === 'create') return after.payments === before.payments + 1;
  if (action === 'approve') return (await state(paymentId!)).status === 'approved';
  if (action === 'reject') return (await state(paymentId!)).status === 'rejected';
  if (action === 'cancel') return (await state(paymentId!)).status === 'cancelled';
  // Reads: the answer is the thing itself (a card or a list), not a refusal message.
  return reply.view.kind !== 'message';
}

type Via = 'text' | 'button';
const cells = (['requester', 'approver', 'treasurer', 'admin', 'auditor', 'unmapped'] as Who[]).flatMap((who) =>
  COLUMNS.flatMap((column) => {
    const via: Via[] = /^(approve|reject|cancel)/.test(column) ? ['text', 'button'] : ['text'];
    return via.map((v) => [who, column, v, expected(who, column)] as const);
  }),
).filter(([, , , e]) => e !== '-');

test.each(cells)('%s × %s by %s → %s', async (who, column, via, allowed) => {
  const [action, scope] = column.split(':');
  const handle = HANDLES[who];
  const owner = scope === 'own' ? ids[who]! : f.users.requester;
  const payment = scope ? await pendingPayment(owner) : undefined;
  const before = await tableCounts(t.db);

  const texts: Record<string, string> = {
    create: '/pay new 50000 to acme for matrix check',
    approve: `/pay approve ${payment?.reference}`,
    reject: `/pay reject ${payment?.reference} wrong invoice`,
    cancel: `/pay cancel ${payment?.reference}`,
    show: `/pay show ${payment?.reference}`,
    list: '/pay list',
    balance: '/balance',
  };
  const reply: Reply =
    via === 'text'
      ? await router.handleText({ actor: slackActor(handle), text: texts[action] })
      : await router.handleAction({
          actor: slackActor(handle), actionId: `payment.${action}`, value: buttonValue(payment!.id, payment!.version),
          reason: action === 'reject' ? 'wrong invoice' : undefined, receiptId: `matrix:${who}:${column}`,
        });

  const did = await effectOf(action, reply, before, payment?.id);
  expect({ who, column, via, allowed: did ? 'Y' : 'N' }).toEqual({ who, column, via, allowed });
  if (allowed === 'N') {
    // Refused means nothing changed at all; a button's receipt claim is the one row a tap may leave.
    const after = await tableCounts(t.db);
    if (via === 'button') after.interaction_receipts = before.interaction_receipts;
    expect(after).toEqual(before);
    expect(reply.view.kind).toBe('message');
  }
});

test('the table covers every role and every column', () => {
  for (const who of Object.keys(MATRIX) as Who[]) expect(MATRIX[who].trim().split(/\s+/)).toHaveLength(COLUMNS.length);
  // Guard against a vacuous table: both outcomes occur for the deciding actions.
  const decided = cells.filter(([, c]) => c.startsWith('approve')).map(([, , , e]) => e);
  expect(new Set(decided)).toEqual(new Set(['Y', 'N']));
});

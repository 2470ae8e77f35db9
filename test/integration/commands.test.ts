import { randomUUID } from 'node:crypto';
import { CommandDeps, CommandRouter } from '../../commands/command-router';
import type { ActionReply, Platform } from '../../commands/contracts';
import { CardView, ListView, MessageView, Reply, message } from '../../commands/view/view';
import { BankAccountEntity, PayeeEntity } from '../../src/persistence/entities';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let router: CommandRouter;
let deps: CommandDeps;

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents(t.db);
  deps = {
    db: t.db,
    createPayment: new CreatePayment(t.db, events),
    decideApproval: new DecideApproval(t.db, events),
    cancelPayment: new CancelPayment(t.db, events),
    defaultLocale: 'en',
  };
  router = new CommandRouter(deps);
});
afterAll(async () => {
  await events.settle();
  await t.drop();
});

const say = (who: string, text: string, platform: Platform = 'web'): Promise<Reply> =>
  router.handleText({ actor: { platform, platformUserId: who }, text });
const tap = (who: string, actionId: string, value: string, receiptId = randomUUID(), reason?: string): Promise<ActionReply> =>
  router.handleAction({ actor: { platform: 'web', platformUserId: who }, actionId, value, receiptId, ...(reason ? { reason } : {}) });

function card(r: Reply): CardView {
  if (r.view.kind !== 'card') throw new Error(`expected a card, got ${JSON.stringify(r.view)}`);
  return r.view;
}
function msg(r: Reply): MessageView {
  if (r.view.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(r.view)}`);
  return r.view;
}
function list(r: Reply): ListView {
  if (r.view.kind !== 'list') throw new Error(`expected a list, got ${JSON.stringify(r.view)}`);
  return r.view;
}
const refOf = (c: CardView) => /PAY-\d{4}-\d{6}/.exec(c.title)![0];
const count = async (table: string) => Number((await t.db.read((em) => em.execute(`select count(*) as n from ${table}`)))[0].n);
const row = async (reference: string) =>
  (await t.db.read((em) => em.execute(`select id, status, version, requester_id, amount_minor, currency, execution_date::text as d from payments where reference = ?`, [reference])))[0];
const votes = async (reference: string) =>
  t.db.read((em) => em.execute(`select a.decision, a.via, u.handle from approvals a join payments p on p.id = a.payment_id join users u on u.id = a.approver_id where p.reference = ? order by a.created_at`, [reference]));
/** The value the live approval card's buttons carry right now (the reply cards have no buttons). */
const buttonOf = async (c: CardView) => {
  const r = await row(refOf(c));
  return JSON.stringify({ id: r.id, v: r.version });
};
const newPayment = async (text = '/pay new 50,000 to acme for Invoice 42') => card(await say('rita', text));

test('create: the currency defaults to the only account, the payment waits for approval and the card says so', async () => {
  const c = await newPayment('/pay new 50,000 to acme for Invoice 42 on 2099-01-31');
  expect(c.status).toMatchObject({ label: 'Pending approval', code: 'PDNG' });
  expect(c.amount).toEqual({ text: 'CNY 50,000.00', capital: '伍万元整' });
  expect(c.context[0]).toBe('Created; waiting for approval.');
  // The requester's reply is nobody's live copy: no buttons that would go stale, a pointer to the live card.
  expect(c.buttons).toEqual([]);
  expect(c.context).toContain(`Approvers decide on the live card (approvals channel or their DM), or with /pay approve ${refOf(c)}.`);
  expect(card(await say('adam', `/pay show ${refOf(c)}`)).buttons).toEqual([]);
  const r = await row(refOf(c));
  expect(r).toMatchObject({ status: 'pending_approval', requester_id: f.users.requester, amount_minor: '5000000', currency: 'CNY', d: '2099-01-31' });
});

test('create in Chinese with aliases; a small payment to a known payee is approved automatically', async () => {
  await t.db.read((em) => em.execute(`update payees set aliases = '{阿克米}' where code = 'acme'`));
  await t.db.read((em) => em.execute(`update bank_accounts set aliases = '{cmb,招行}' where code = 'cmb-cny'`));
  const c = card(await say('rita', '/付款 新建 5000元 给 阿克米 用途 货款 从 招行'));
  expect(c.status?.code).toBe('ACTC');
  expect(c.context[0]).toBe('Created and approved automatically.');
  expect(c.buttons).toEqual([]);
  expect(c.fields.find((x) => x.label === 'Payee')?.value).toBe('Acme · ICBC **** 5678');
  expect((await row(refOf(c))).status).toBe('approved');
});

test('who may create: approvers may not, and refusals write nothing', async () => {
  const before = await count('payments');
  expect(msg(await say('adam', '/pay new 500 to acme for x')).text).toBe('Your role does not allow requesting payments.');
  expect(msg(await say('rita', '/pay new 500 to nobody-ltd for x')).text).toMatch(/^No payee matches “nobody-ltd”\. Known payees include: acme, newco\./);
  expect(msg(await say('rita', '/pay new 500 to acme for x from savings')).text).toMatch(/^No company account matches “savings”/);
  expect(msg(await say('rita', '/pay new 500 USD to acme for x')).text).toBe('There is no company account in USD.');
  expect(msg(await say('rita', '/pay new 500 to acme for x on 2001-01-01')).text).toBe('The execution date 2001-01-01 is in the past.');
  expect(await count('payments')).toBe(before);
});

test('a wrong command answers with a short usage line, never a stack trace', async () => {
  const m = msg(await say('rita', '/pay new 500 acme'));
  expect(m.text).toBe('Say who to pay: add “to <payee>”.');
  expect(m.detail).toEqual(['Usage: /pay new <amount> [currency] to <payee> for <purpose> [from <account>] [on YYYY-MM-DD]']);
  expect(msg(await say('rita', '/pay frobnicate')).detail?.[0]).toMatch(/^Usage: \/pay new \| show/);
});

test('an unmapped identity is refused and nothing is read or written', async () => {
  const c = await newPayment();
  const [payments, audit, receipts] = [await count('payments'), await count('audit_events'), await count('interaction_receipts')];
  for (const [platform, id] of [['web', 'ghost'], ['slack', 'U_nobody'], ['feishu', 'ou_nobody']] as const) {
    expect(msg(await say(id, '/pay new 500 to acme for x', platform)).text).toMatch(/not linked to (a paydesk user|anyone in paydesk)/);
  }
  expect(msg(await say('ghost', '/付款 列表')).text).toBe('您的账号尚未关联 paydesk 用户，请联系管理员将您加入通讯录。');
  const r = await tap('ghost', 'payment.approve', await buttonOf(c));
  expect(r.card).toBeUndefined();
  expect(msg(r).text).toMatch(/not linked/);
  expect([await count('payments'), await count('audit_events'), await count('interaction_receipts')]).toEqual([payments, audit, receipts]);
  expect((await row(refOf(c))).status).toBe('pending_approval');
});

test('Slack and Feishu identities resolve through their platform ids; replies follow the user locale', async () => {
  expect(card(await say('U_rita', '/pay new 600 to acme for slack pay', 'slack')).title).toMatch(/^Payment PAY-/);
  await t.db.read((em) => em.execute(`update users set locale = 'zh-CN' where handle = 'tess'`));
  const l = list(await say('ou_tess', '/pay list all', 'feishu'));
  expect(l.title).toBe('付款');
  expect(l.items[0].status?.label).toMatch(/待审批|已批准/);
  await t.db.read((em) => em.execute(`update users set locale = 'en' where handle = 'tess'`));
});

test('show: references are case-insensitive; unknown references are named', async () => {
  const c = await newPayment();
  const shown = card(await say('adam', `/pay show ${refOf(c).toLowerCase()}`));
  expect(shown.title).toBe(`Payment ${refOf(c)}`);
  expect(shown.context).toContain('1 more approval needed, from an approver or a treasurer.');
  expect(msg(await say('adam', '/pay show PAY-1999-000001')).text).toBe('No payment PAY-1999-000001.');
  // The audit trail: each recorded step with its time, the channel of each vote, and who.
  await say('adam', `/pay approve ${refOf(c)}`);
  const trail = card(await say('rita', `/pay show ${refOf(c)}`)).fields.find((f) => f.label === 'Audit trail')!.value.split('\n');
  expect(trail.map((l) => l.replace(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} · /, ''))).toEqual([
    'Created · user:rita', 'Approval (web) · user:adam', 'Approved · user:adam',
  ]);
});

test('approve and reject by text go through DecideApproval', async () => {
  const a = await newPayment();
  const approved = card(await say('adam', `/pay approve ${refOf(a)}`));
  expect(approved.status?.code).toBe('ACTC');
  expect(approved.context[0]).toBe(`You approved ${refOf(a)}.`);
  expect(approved.context.some((l) => l.startsWith('✓ ADAM approved'))).toBe(true);
  expect(await votes(refOf(a))).toEqual([{ decision: 'approve', via: 'web', handle: 'adam' }]);

  const r = await newPayment();
  expect(msg(await say('adam', `/pay reject ${refOf(r)}`)).text).toBe('A rejection needs a reason, e.g. /pay reject PAY-2026-000123 duplicate invoice.');
  expect((await row(refOf(r))).status).toBe('pending_approval');
  const rejected = card(await say('amy', `/付款 驳回 ${refOf(r)} 发票重复`));
  expect(rejected.status?.code).toBe('RJCT');
  expect(rejected.context.some((l) => l.includes('AMY rejected') && l.includes('“发票重复”'))).toBe(true);
  expect(msg(await say('rita', `/pay approve ${refOf(await newPayment())}`)).text).toMatch(/cannot approve or reject it/);
});

test('cancel: the requester may, others may not', async () => {
  const c = await newPayment();
  expect(msg(await say('adam', `/pay cancel ${refOf(c)}`)).text).toBe('Only the requester (or an admin) can cancel this payment.');
  const done = card(await say('rita', `/付款 撤销 ${refOf(c)}`));
  expect(done.status?.code).toBe('CANC');
  expect(msg(await say('rita', `/pay cancel ${refOf(c)}`)).text).toBe('It can no longer be cancelled: it is Cancelled.');
});

test('buttons: approve with the card version; reject asks for a reason without using up the tap', async () => {
  const c = await newPayment();
  const ok = await tap('adam', 'payment.approve', await buttonOf(c));
  expect(ok.toast).toEqual({ tone: 'good', text: `You approved ${refOf(c)}.` });
  expect(ok.card?.status?.code).toBe('ACTC');
  expect(ok.card?.buttons).toEqual([]);

  const r = await newPayment();
  const receipt = randomUUID();
  const rValue = await buttonOf(r);
  const ask = await tap('amy', 'payment.reject', rValue, receipt);
  expect(msg(ask).text).toBe(`Please give a reason to reject ${refOf(r)}.`);
  expect(await votes(refOf(r))).toEqual([]);
  const rejected = await tap('amy', 'payment.reject', rValue, receipt, 'wrong amount');
  expect(rejected.card?.status?.label).toBe('Rejected');
  expect(await votes(refOf(r))).toEqual([{ decision: 'reject', via: 'web', handle: 'amy' }]);
});

test('a stale card is answered with the current card instead of acting', async () => {
  const c = await newPayment('/pay new 300,000 to acme for plant'); // two approvals, one from a treasurer
  expect(c.context).toContain('2 more approvals needed, at least one from a treasurer.');
  const shown = await buttonOf(c);
  await say('adam', `/pay approve ${refOf(c)}`);
  const stale = await tap('tess', 'payment.approve', shown);
  expect(stale.toast?.tone).toBe('warning');
  expect(msg(stale).text).toBe(`${refOf(c)} has changed since this card was shown (now Pending approval); here is the current state.`);
  expect(stale.card?.context).toContain('1 more approval needed, from a treasurer.');
  expect(JSON.parse(stale.card!.buttons[0].value).v).toBe(2);
  expect((await votes(refOf(c))).map((v: any) => v.handle)).toEqual(['adam']);

  const auto = card(await say('rita', '/pay new 800 to acme for pens')); // approved at once, version 1
  const late = await tap('adam', 'payment.approve', JSON.stringify({ id: (await row(refOf(auto))).id, v: 1 }));
  expect(msg(late).text).toBe('This payment is no longer waiting for approval (it is Approved).');
  expect(late.card?.status?.code).toBe('ACTC');
});

test('the same receipt acts once, even when both deliveries race', async () => {
  const c = await newPayment('/pay new 300,000 to acme for plant');
  const receipt = randomUUID();
  const value = await buttonOf(c);
  const replies = await Promise.all([1, 2, 3].map(() => tap('adam', 'payment.approve', value, receipt)));
  const texts = replies.map((r) => msg(r).text).sort();
  expect(texts).toEqual([`You approved ${refOf(c)}.`, 'This tap was already handled; here is the current state.', 'This tap was already handled; here is the current state.'].sort());
  for (const r of replies) expect(r.card?.context).toContain('1 more approval needed, from a treasurer.');
  expect(await votes(refOf(c))).toHaveLength(1);
  // A redelivery after the first finished is caught by the stored receipt.
  const later = await tap('adam', 'payment.approve', await buttonOf(c), receipt);
  expect(msg(later).text).toBe('This tap was already handled; here is the current state.');
  expect(await votes(refOf(c))).toHaveLength(1);
  const stored = await t.db.read((em) => em.execute(`select platform from interaction_receipts where receipt_id = ?`, [receipt]));
  expect(stored).toEqual([{ platform: 'web' }]);
});

test('cancel button, unknown actions and damaged values', async () => {
  const c = await newPayment();
  const value = JSON.stringify({ id: (await row(refOf(c))).id, v: 1 });
  expect(msg(await tap('rita', 'payment.cancel', value)).text).toBe(`You cancelled ${refOf(c)}.`);
  expect((await row(refOf(c))).status).toBe('cancelled');
  expect(msg(await tap('rita', 'payment.frobnicate', value)).text).toBe('paydesk does not know the button “payment.frobnicate”.');
  expect(msg(await tap('rita', 'payment.approve', '{"id":1}')).text).toMatch(/button’s data is damaged/);
});

test('ambiguous payee: the user is asked to pick', async () => {
  await t.db.tx(async (em) => {
    em.create(PayeeEntity, {
      id: randomUUID(), code: 'acme-hk', name: 'Acme HK', aliases: [], bankName: 'HSBC', accountNumber: '400500600700',
      accountName: 'Acme HK Ltd', verified: true, createdAt: new Date(),
    });
  });
  const before = await count('payments');
  expect(msg(await say('rita', '/pay new 500 to ac for x')).text).toBe('“ac” matches several payees: acme, acme-hk (Acme HK). Say which one, by its code.');
  expect(await count('payments')).toBe(before);
  expect(card(await say('rita', '/pay new 500 to acme for exact code wins')).fields[0].value).toMatch(/^Acme · ICBC/);
});

test('list: pending, mine and today, newest first, paged by 10', async () => {
  const batch: string[] = [];
  for (let i = 1; i <= 12; i++) batch.push(refOf(await newPayment(`/pay new 20,000 to newco for batch ${i}`)));
  const pending = list(await say('adam', '/pay list pending'));
  expect(pending.items.length).toBe(10);
  expect(pending.items.every((i) => i.status?.label === 'Pending approval')).toBe(true);
  const refs = pending.items.map((i) => i.title.slice(0, 15));
  expect(refs).toEqual(batch.slice(2).reverse());
  expect(pending.footer).toMatch(/^Page 1 of \d+ · \d+ payments · Next page: \/pay list pending page 2$/);
  const page2 = list(await say('adam', '/pay list pending page 2'));
  expect(page2.items.map((i) => i.title.slice(0, 15)).some((r) => refs.includes(r))).toBe(false);

  expect(list(await say('adam', '/pay list mine')).items).toEqual([]);
  const mine = list(await say('root', '/pay list mine'));
  expect(mine.items).toEqual([]);
  expect(list(await say('rita', '/pay list mine')).items.length).toBe(10);
  expect(list(await say('rita', '/pay list today')).items[0].title).toBe(`${batch[11]} · CNY 20,000.00 → NewCo`);
  expect(list(await say('rita', '/pay list today')).items[0].subtitle).toMatch(/^batch 12 · RITA · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  const cancelled = list(await say('rita', '/付款 列表 已撤销')); // Chinese filter word, reply in rita's English
  expect(cancelled.items.length).toBe(2);
  expect(cancelled.items.every((i) => i.status?.label === 'Cancelled')).toBe(true);
  expect(cancelled.title).toBe('Payments · Cancelled');

  // Filters combine; the lower-limit approver's "waiting for me" leaves out what lou cannot release.
  const combined = list(await say('rita', '/pay list mine pending today CNY newco'));
  expect(combined.title).toBe('My payments · Pending approval · today · CNY · NewCo');
  expect(combined.items.length).toBe(10);
  expect(combined.footer).toMatch(/Next page: \/pay list mine pending today CNY newco page 2$/);
  expect(list(await say('rita', '/付款 列表 我的待审批今天 newco')).title).toBe('My payments · Pending approval · today · NewCo');
  expect(list(await say('rita', '/pay list mine USD')).items).toEqual([]);
  const todo = list(await say('adam', '/pay list'));
  expect(todo.title).toBe('Waiting for you');
  expect(todo.footer).toContain('everything: /pay list all');
  expect(todo.items.every((i) => i.status?.label === 'Pending approval')).toBe(true);
  expect(todo.items.length).toBe(10);
  await say('adam', `/pay approve ${batch[11]}`);
  expect(list(await say('adam', '/pay list todo')).items.map((i) => i.title.slice(0, 15))).not.toContain(batch[11]);
  // lou (¥50,000 limit) is not asked about ¥60,000; adam is.
  const big = refOf(await newPayment('/pay new 60,000 to acme for over lou limit'));
  const louTodo = list(await say('lou', '/付款 列表 待我审批')).items.map((i) => i.title.slice(0, 15));
  expect(louTodo).not.toContain(big);
  expect(louTodo).toContain(batch[10]);
  expect(list(await say('adam', '/pay list todo')).items.map((i) => i.title.slice(0, 15))).toContain(big);
  expect(list(await say('rita', '/pay list todo')).items).toEqual([]); // a requester's own payments never wait for her
  // A page past the end says so; one payment is "1 payment".
  const past = msg(await say('rita', '/pay list mine page 99'));
  expect(past.text).toMatch(/^There is no page 99: \d+ payments fill \d+ pages\.$/);
  expect(past.detail?.[0]).toMatch(/^Last page: \/pay list mine page \d+$/);
  const one = list(await say('rita', `/pay list approved newco`));
  expect(one.footer).toBe('Page 1 of 1 · 1 payment');
  expect(msg(await say('rita', '/pay list pending settled')).text).toBe('A payment has one status at a time: name at most one (e.g. pending).');
  expect(msg(await say('rita', '/pay list pendng')).text).toMatch(/^“pendng” is neither a list filter nor a payee/);
});

test('balance: every account with masked number, totals per currency, and filters', async () => {
  await t.db.tx(async (em) => {
    const account = (code: string, name: string, bankName: string, currency: string, balanceMinor: bigint, number: string) =>
      em.create(BankAccountEntity, {
        id: randomUUID(), code, name, aliases: [], bankName, accountNumber: number, currency, balanceMinor,
        balanceAsOf: new Date('2026-11-28T06:00:00Z'), alertChannels: [], createdAt: new Date(),
      });
    account('icbc-cny', 'ICBC CNY', 'ICBC', 'CNY', 12_345_67n, '6222000011112222');
    account('boc-usd', 'BOC USD', 'Bank of China', 'USD', 1_000_00n, '4000300020001000');
  });
  const all = list(await say('rita', '/balance'));
  expect(all.items.map((i) => i.title)).toEqual(['BOC USD · USD 1,000.00', 'CMB CNY · CNY 5,000,000.00', 'ICBC CNY · CNY 12,345.67']);
  expect(all.items[0].subtitle).toBe('Bank of China · **** 1000 · as of 2026-11-28 14:00');
  expect(all.footer).toBe('Total CNY: CNY 5,012,345.67 · Total USD: USD 1,000.00');
  expect(list(await say('rita', '/balance usd')).items.map((i) => i.title)).toEqual(['BOC USD · USD 1,000.00']);
  expect(list(await say('rita', '/balance bank of')).items).toHaveLength(1);
  expect(list(await say('rita', '/余额 cmb')).items.map((i) => i.title)).toEqual(['CMB CNY · CNY 5,000,000.00']);
  expect(msg(await say('rita', '/balance nowhere')).text).toBe('No account, bank or currency matches “nowhere”.');
  // Several accounts and currencies: the currency or account must now be named, and it must match.
  expect(msg(await say('rita', '/pay new 500 to acme for x')).text).toBe('The accounts hold several currencies (CNY, USD); write the currency (e.g. 5,000 CNY) or name the account with “from”.');
  expect(msg(await say('rita', '/pay new ¥500 to acme for x')).text).toBe('Several accounts hold CNY (cmb-cny (CMB CNY), icbc-cny (ICBC CNY)); say which with “from <account>”.');
  expect(msg(await say('rita', '/pay new ¥500 to acme for x from boc')).text).toBe('BOC USD holds USD; pay from an account in the payment currency.');
  // The account's currency applies when none is typed: USD here, which has no policy in the fixture.
  expect(msg(await say('rita', '/pay new 500 to acme for x from boc')).text).toBe('There is no approval policy for USD yet; ask an admin to add one.');
  expect(card(await say('rita', '/pay new 1.2万 to acme for x from icbc')).amount?.text).toBe('CNY 12,000.00');
  // A fragment from the middle of a name is asked back, like payees; a prefix ("boc", "icbc") is fine.
  expect(msg(await say('rita', '/pay new 500 to acme for x from usd')).text).toBe(
    '“usd” is not an exact account name. Did you mean boc-usd (BOC USD)? Type its code (boc-usd) to be sure.',
  );
  // The currency's default account pays when none is named.
  await t.db.read((em) => em.execute(`update bank_accounts set is_default = true where code = 'cmb-cny'`));
  const viaDefault = card(await say('rita', '/pay new ¥500 to acme for x'));
  expect(viaDefault.fields.find((x) => x.label === 'From account')?.value).toMatch(/^CMB CNY/);
  // A payee that takes CNY only: a USD payment is refused, and a bare amount takes the payee's currency.
  await t.db.read((em) => em.execute(`update payees set currencies = '{CNY}' where code = 'acme'`));
  expect(msg(await say('rita', '/pay new 500 USD to acme for x from boc-usd')).text).toBe('Acme accepts CNY only, not USD.');
  expect(card(await say('rita', '/pay new 500 to acme for x')).amount?.text).toBe('CNY 500.00');
  await t.db.read((em) => em.execute(`update payees set currencies = '{}' where code = 'acme'`));
  await t.db.read((em) => em.execute(`update bank_accounts set is_default = false where code = 'cmb-cny'`));
});

test('other modules contribute /pay sub-commands and buttons; built-in words win and strangers never reach them', async () => {
  const seen: string[] = [];
  const alerts = async ({ user, args, locale }: { user: { handle: string }; args: string; locale: string }) => {
    seen.push(`${user.handle}|${args}|${locale}`);
    return { visibility: 'ephemeral' as const, view: message('info', 'alerts') };
  };
  const extended = new CommandRouter({
    ...deps,
    extraCommands: { Alerts: alerts, 告警: alerts, list: alerts },
    extraActions: { 'alert.ack': async (req, user) => ({ visibility: 'ephemeral', view: message('good', `ack ${req.value} by ${user.handle}`) }) },
  });
  const ask = (who: string, text: string) => extended.handleText({ actor: { platform: 'web', platformUserId: who }, text });
  expect(msg(await ask('rita', '/pay alerts open')).text).toBe('alerts');
  expect(msg(await ask('tess', '/付款 告警')).text).toBe('alerts');
  expect(list(await ask('rita', '/pay list')).title).toBe('Payments');
  expect(msg(await ask('ghost', '/pay alerts')).text).toMatch(/not linked/);
  expect(seen).toEqual(['rita|open|en', 'tess||en']);
  const ack = await extended.handleAction({ actor: { platform: 'web', platformUserId: 'adam' }, actionId: 'alert.ack', value: '{"id":"x"}', receiptId: 'r1' });
  expect(msg(ack).text).toBe('ack {"id":"x"} by adam');
  expect(msg(await tap('adam', 'alert.ack', '{}')).text).toBe('paydesk does not know the button “alert.ack”.');
});

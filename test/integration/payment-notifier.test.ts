import type { ChatSurface, LocalisedCard, LocalisedView } from '../../commands/contracts';
import { PaymentNotifier } from '../../commands/notifications/payment-notifier';
import type { CardView, View } from '../../commands/view/view';
import type { User } from '../../src/domain/directory';
import type { Payment } from '../../src/domain/payment/payment';
import { Result } from '../../src/domain/result';
import { PaymentEvents } from '../../src/services/events';
import { CreatePayment, CreatePaymentInput } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

/** Records what the notifier asked for, rendered in both languages at the moment it was asked. */
class RecordingSurface implements ChatSurface {
  readonly platform = 'web' as const;
  posts: { key: string; payment: Payment; approvers: string[]; en: CardView; zh: CardView }[] = [];
  updates: { key: string; en: CardView }[] = [];
  notices: { handle: string; en: View; zh: View }[] = [];
  async postApprovalCard(i: { payment: Payment; key: string; card: LocalisedCard; approvers: User[] }) {
    this.posts.push({ key: i.key, payment: i.payment, approvers: i.approvers.map((u) => u.handle).sort(), en: i.card('en'), zh: i.card('zh-CN') });
  }
  async updateCard(i: { key: string; card: LocalisedCard }) {
    this.updates.push({ key: i.key, en: i.card('en') });
  }
  async notifyUser(i: { user: User; view: LocalisedView }) {
    this.notices.push({ handle: i.user.handle, en: i.view('en'), zh: i.view('zh-CN') });
  }
  async postAlert() {}
}

/** A platform that is down: every call fails. */
const broken: ChatSurface = {
  platform: 'slack',
  postApprovalCard: async () => { throw new Error('slack down'); },
  updateCard: async () => { throw new Error('slack down'); },
  notifyUser: async () => { throw new Error('slack down'); },
  postAlert: async () => { throw new Error('slack down'); },
};

let t: TestDb;
let f: Fixture;
let events: PaymentEvents;
let create: CreatePayment;
let decide: DecideApproval;
let surface: RecordingSurface;
const logged: { obj: any; msg?: string }[] = [];

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  events = new PaymentEvents(t.db, { onError: (err, _e, consumer) => logged.push({ obj: { err, consumer } }) });
  create = new CreatePayment(t.db, events);
  decide = new DecideApproval(t.db, events);
  surface = new RecordingSurface();
  const notifier = new PaymentNotifier({
    db: t.db, events, surfaces: [broken, surface], defaultLocale: 'en',
    log: { error: (obj, msg) => logged.push({ obj, msg }) },
  });
  notifier.start();
  notifier.start(); // idempotent: one subscription, not two
});
afterAll(async () => {
  await events.settle();
  await t.drop();
});

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`refused: ${r.code}`);
  return r.value;
}
const pay = async (yuan: number, over: Partial<CreatePaymentInput> = {}) =>
  value(await create.execute({
    source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: BigInt(yuan) * 100n, currency: 'CNY' },
    purpose: 'Invoice 42', requesterId: f.users.requester, actor: 'user:rita', ...over,
  })).payment;
const vote = async (payment: Payment, who: keyof Fixture['users'], decision: 'approve' | 'reject' = 'approve', reason?: string) => {
  value(await decide.execute({ paymentId: payment.id, approverId: f.users[who], decision, via: 'slack', ...(reason ? { reason } : {}) }));
  await events.settle();
};
const updatesFor = (p: Payment) => surface.updates.filter((u) => u.key === `payment:${p.id}`);

test('a payment waiting for approval is posted once per surface, to eligible approvers, despite a broken surface', async () => {
  const p = await pay(50_000);
  await events.settle();
  const posts = surface.posts.filter((x) => x.key === `payment:${p.id}`);
  expect(posts).toHaveLength(1);
  // Roles in the tier (approver, treasurer), active, and never the requester; admins without those roles are not asked.
  expect(posts[0].approvers).toEqual(['adam', 'amy', 'lou', 'tess']);
  expect(posts[0].en.buttons.map((b) => b.label)).toEqual(['Approve', 'Reject']);
  expect(posts[0].zh.buttons.map((b) => b.label)).toEqual(['批准', '驳回']);
  expect(posts[0].zh.amount).toEqual({ text: '¥50,000.00', capital: '伍万元整' });
  // The broken platform's delivery failed and waits in the outbox for its retry; the web surface did not wait for it.
  expect(logged.some((l) => l.obj.consumer === 'notifier:slack' && /slack down/.test(String(l.obj.err)))).toBe(true);
});

test('an approver whose limit cannot release the amount gets no card to tap', async () => {
  const p = await pay(60_000); // lou's limit is ¥50,000
  await events.settle();
  const posts = surface.posts.filter((x) => x.key === `payment:${p.id}`);
  expect(posts[0].approvers).toEqual(['adam', 'amy', 'tess']);
});

test('an auto-approved payment posts no approval card', async () => {
  const before = surface.posts.length;
  const p = await pay(800);
  await events.settle();
  expect(p.status).toBe('approved');
  expect(surface.posts.length).toBe(before);
});

test('each vote refreshes the card; the requester hears of the approval', async () => {
  const p = await pay(300_000); // two approvals, one from a treasurer
  await events.settle();
  await vote(p, 'approver');
  expect(updatesFor(p)).toHaveLength(1);
  expect(updatesFor(p)[0].en.context).toContain('1 more approval needed, from a treasurer.');
  expect(updatesFor(p)[0].en.buttons).toHaveLength(2);
  expect(surface.notices.filter((n) => n.en.kind === 'message' && n.en.text.includes(p.reference))).toEqual([]);

  await vote(p, 'treasurer');
  // The deciding vote and its status change refresh the card once, and it has no buttons left.
  expect(updatesFor(p)).toHaveLength(2);
  expect(updatesFor(p)[1].en.status?.label).toBe('Approved');
  expect(updatesFor(p)[1].en.buttons).toEqual([]);
  const notice = surface.notices.find((n) => n.en.kind === 'message' && n.en.text.includes(p.reference));
  expect(notice?.handle).toBe('rita');
  expect(notice?.en).toMatchObject({ tone: 'good', text: `Your payment ${p.reference} (CNY 300,000.00 to Acme) was approved.` });
  expect(notice?.zh).toMatchObject({ text: `您的付款 ${p.reference}（¥300,000.00，收款方 Acme）已批准。` });
});

test('a rejection reaches the requester with who and why', async () => {
  const p = await pay(50_000);
  await events.settle();
  await vote(p, 'approver2', 'reject', 'duplicate invoice');
  const notice = surface.notices.find((n) => n.en.kind === 'message' && n.en.text.includes(p.reference));
  expect(notice?.en).toMatchObject({ tone: 'danger', text: `Your payment ${p.reference} (CNY 50,000.00 to Acme) was rejected by AMY: “duplicate invoice”.` });
  expect(updatesFor(p).at(-1)?.en.status?.code).toBe('RJCT');
});

// A consumer that joins late also receives events still open then (not yet delivered to every
// consumer, e.g. held by the broken surface's retries): the outbox keeps no per-consumer start point.
test('surfaces added later receive later updates', async () => {
  const late = new RecordingSurface();
  const p = await pay(50_000);
  await events.settle();
  const notifier = new PaymentNotifier({ db: t.db, events, surfaces: [], defaultLocale: 'en', log: { error: () => {} }, consumerPrefix: 'late-notifier' });
  notifier.start();
  notifier.addSurface(late);
  await vote(p, 'approver');
  expect(late.updates.filter((u) => u.key === `payment:${p.id}`)).toHaveLength(1);
  notifier.stop();
  const seen = late.updates.length;
  await vote(await pay(60_000), 'approver');
  expect(late.updates).toHaveLength(seen);
});

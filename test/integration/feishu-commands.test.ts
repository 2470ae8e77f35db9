/**
 * Feishu end to end: the real payment core, command router and notifier behind the Feishu
 * adapter in HTTP mode. Encrypted, signed events go into our handler (and the SDK's
 * EventDispatcher inside it); the SDK's Client sends to the fake Open API, which records
 * every card posted and patched.
 */
import { randomUUID } from 'node:crypto';
import { CommandRouter } from '../../commands/command-router';
import { PaymentNotifier } from '../../commands/notifications/payment-notifier';
import { createFeishuAdapter, type FeishuAdapter } from '../../adapters/feishu/feishu-app';
import { HttpServer } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import { UserEntity } from '../../src/persistence/entities';
import { feishuStore } from '../../src/persistence/repositories/feishu-card.repository';
import { PaymentEvents } from '../../src/services/events';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { DecideApproval } from '../../src/services/payments/decide-approval';
import { FakeFeishuApi, type SentMessage } from '../support/fake-feishu-api';
import { cardActionEvent, signedRequest, textMessageEvent } from '../support/feishu-crypto';
import { Fixture, seedFixture } from '../support/fixtures';
import { createTestDb, TestDb } from '../support/test-db';

const KEY = 'e2e-encrypt-key';
const TOKEN = 'e2e-verification-token';

let t: TestDb;
let f: Fixture;
let api: FakeFeishuApi;
let events: PaymentEvents;
let adapter: FeishuAdapter;
let notifier: PaymentNotifier;
let http: HttpServer;
let base: string;
const errors: unknown[] = [];

beforeAll(async () => {
  t = await createTestDb();
  f = await seedFixture(t.db);
  // amy reads Chinese; everyone else English (the fixture's default).
  await t.db.read((em) => em.execute(`update users set locale = 'zh-CN' where handle = 'amy'`));
  api = await FakeFeishuApi.start();
  events = new PaymentEvents(t.db, { onError: (err) => errors.push(err) });
  // Anything the stack logs at error level fails the test that caused it.
  const log = createLogger({
    level: 'error',
    destination: { write: (line: string) => void errors.push(JSON.parse(line)) } as unknown as NodeJS.WritableStream,
  });
  const commands = new CommandRouter({
    db: t.db, createPayment: new CreatePayment(t.db, events), decideApproval: new DecideApproval(t.db, events),
    cancelPayment: new CancelPayment(t.db, events), defaultLocale: 'en',
  });
  adapter = createFeishuAdapter({
    config: {
      appId: 'cli_0123456789abcdef', appSecret: 'app-secret', domain: api.url, approvalsChat: 'oc_approvals', dmApprovers: true,
      mode: 'http', encryptKey: KEY, verificationToken: TOKEN,
    },
    commands, store: feishuStore(t.db), log, defaultLocale: 'en', retry: { attempts: 2, baseDelayMs: 5 },
  });
  notifier = new PaymentNotifier({ db: t.db, events, surfaces: [adapter.surface], defaultLocale: 'en', log: { error: (o) => errors.push(o) } });
  notifier.start();
  http = new HttpServer(log);
  http.register(adapter.httpHandler!);
  base = `http://127.0.0.1:${(await http.listen('127.0.0.1', 0)).port}`;
});
afterAll(async () => {
  notifier.stop();
  await events.settle();
  await adapter.stop();
  await http.close();
  await api.close();
  await t.drop();
});
beforeEach(() => api.reset());
afterEach(() => expect(errors).toEqual([]));

async function settle() {
  await events.settle();
  await adapter.settle();
}
async function post(payload: unknown) {
  const { headers, body } = signedRequest(KEY, payload);
  const res = await fetch(`${base}/feishu/events`, { method: 'POST', headers, body });
  const json = await res.json();
  await settle();
  return { status: res.status, body: json };
}
/** Types a command in a direct chat; returns paydesk's reply. */
async function sayMessage(handle: string, text: string): Promise<SentMessage> {
  const messageId = `om_in_${Math.random().toString(36).slice(2)}`;
  expect((await post(textMessageEvent({ token: TOKEN, openId: `ou_${handle}`, text, messageId }))).status).toBe(200);
  const reply = api.sent.find((s) => s.kind === 'reply' && s.to === messageId);
  if (!reply) throw new Error(`no reply to ${text}`);
  return reply;
}
const say = async (handle: string, text: string) => (await sayMessage(handle, text)).card;
const json = (x: unknown) => JSON.stringify(x);

/** The callback value our rendered card carries for an action, as Feishu would send it back. */
function callbackOf(card: any, action: string): { action: string; value: string } {
  let found: any;
  const walk = (x: any) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      if (x.type === 'callback' && x.value?.action === action) found ??= x.value;
      Object.values(x).forEach(walk);
    }
  };
  walk(card);
  if (!found) throw new Error(`no ${action} button on card`);
  return found;
}
const buttonsOf = (card: any) => json(card).match(/"tag":"button"/g)?.length ?? 0;
const statusOf = (card: any) => card.header.text_tag_list[0].text.content;

async function newPayment(amount: string, purpose: string) {
  const reply = await sayMessage('rita', `/pay new ${amount} to acme for ${purpose}`);
  const card = reply.card;
  const reference = /PAY-\d{4}-\d{6}/.exec(card.header.title.content)![0];
  const copies = api.sent.filter((s) => s.kind === 'create' && json(s.card).includes(reference));
  return { card, reference, copies, reply };
}
const tap = (handle: string, copy: SentMessage, action: string, extra: { formValue?: Record<string, string>; eventId?: string } = {}) =>
  post(cardActionEvent({ token: TOKEN, openId: `ou_${handle}`, value: callbackOf(copy.card, action), messageId: copy.messageId, ...extra }));
const paymentRow = async (reference: string) =>
  (await t.db.read((em) => em.execute(`select status, (select count(*)::int from approvals a where a.payment_id = p.id) as votes from payments p where reference = ?`, [reference])))[0];

describe('commands in English and Chinese, replies in the reader’s language', () => {
  test('/pay new creates the payment and the card shows the capital amount', async () => {
    const { card, copies } = await newPayment('50,000', 'Invoice 42');
    expect(card.header.title.content).toMatch(/^Payment PAY-/);
    expect(json(card)).toContain('50,000.00');
    expect(json(card)).toContain('伍万元整');
    // The approvals group (default language) and each eligible approver (their language) get a copy.
    const targets = copies.map((c) => `${c.receiveIdType}:${c.to}`).sort();
    expect(targets).toEqual(['chat_id:oc_approvals', 'open_id:ou_adam', 'open_id:ou_amy', 'open_id:ou_lou', 'open_id:ou_tess']);
    expect(copies.find((c) => c.to === 'ou_amy')!.card.header.title.content).toMatch(/^付款 PAY-/);
    expect(copies.find((c) => c.to === 'oc_approvals')!.card.header.title.content).toMatch(/^Payment PAY-/);
  });

  test('/pay list and /付款 列表', async () => {
    const en = await say('rita', '/pay list');
    expect(en.header.title.content).toBe('Payments');
    expect(json(en)).toContain('PAY-');
    const zh = await say('amy', '/付款 列表 全部');
    expect(zh.header.title.content).toBe('付款');
    expect(json(zh)).toContain('PAY-');
  });

  test('/balance and /余额', async () => {
    const en = await say('tess', '/balance');
    expect(en.header.title.content).toBe('Account balances');
    expect(json(en)).toContain('CMB CNY');
    const zh = await say('amy', '/余额');
    expect(zh.header.title.content).toBe('账户余额');
  });

  test('/pay help and /付款 帮助', async () => {
    expect(json(await say('rita', '/pay help'))).toContain('/pay new');
    expect(json(await say('amy', '/付款 帮助'))).toContain('/付款 批准'); // amy approves; requesting is not hers
  });

  test('/付款 新建 in Chinese creates a payment too', async () => {
    const card = await say('rita', '/付款 新建 1,234.56 给 acme 用途 发票 43');
    expect(json(card)).toContain('壹仟贰佰叁拾肆元伍角陆分');
  });
});

test('approve from a card: the answer carries the updated card, every other copy is patched, the requester hears', async () => {
  const { reference, copies, reply } = await newPayment('60,000', 'Invoice 44');
  const group = copies.find((c) => c.to === 'oc_approvals')!;
  api.reset();
  const r = await tap('amy', group, 'payment.approve');
  expect(r.status).toBe(200);
  expect(r.body.toast).toEqual({ type: 'success', content: `您已批准 ${reference}。` });
  expect(r.body.card.type).toBe('raw');
  expect(statusOf(r.body.card.data)).toBe('已批准');
  expect(buttonsOf(r.body.card.data)).toBe(0);
  expect(await paymentRow(reference)).toEqual({ status: 'approved', votes: 1 });

  // Every copy but the tapped one is patched, each in its own language, and none keeps its buttons.
  const others = copies.filter((c) => c !== group);
  for (const c of others) {
    const last = api.patches.filter((p) => p.messageId === c.messageId).at(-1);
    expect(last).toBeDefined();
    expect(buttonsOf(last!.card)).toBe(0);
    expect(statusOf(last!.card)).toBe(c.to === 'ou_amy' ? '已批准' : 'Approved');
  }
  // The requester's own reply card from /pay new is a copy too.
  expect(statusOf(api.patches.filter((p) => p.messageId === reply.messageId).at(-1)!.card)).toBe('Approved');
  expect(api.sent.some((s) => s.kind === 'create' && s.to === 'ou_rita' && json(s.card).includes(reference))).toBe(true);
});

test('one decision patches each copy of the card once: not by the callback and again by the notifier', async () => {
  const { reference, copies, reply } = await newPayment('61,000', 'Invoice 44b');
  const dm = copies.find((c) => c.to === 'ou_adam')!;
  api.reset();
  const r = await tap('adam', dm, 'payment.approve');
  expect(r.body.toast).toEqual({ type: 'success', content: `You approved ${reference}.` });
  await settle();
  const patchesPerMessage = new Map<string, number>();
  for (const c of api.calls.filter((x) => x.method === 'PATCH')) {
    const id = /\/messages\/([^/?]+)/.exec(c.path)![1];
    patchesPerMessage.set(id, (patchesPerMessage.get(id) ?? 0) + 1);
  }
  // Every copy (the group, each approver's DM in their language, the requester's reply; the
  // tapped one too, re-rendered in its own language) is patched exactly once.
  const everyCopy = [...copies.map((c) => c.messageId), reply.messageId].sort();
  expect([...patchesPerMessage.keys()].sort()).toEqual(everyCopy);
  expect([...patchesPerMessage.values()].every((n) => n === 1)).toBe(true);
  for (const p of api.patches) expect(buttonsOf(p.card)).toBe(0);
});

test('reject from a card asks for a reason, then rejects with it', async () => {
  const { reference, copies } = await newPayment('70,000', 'Invoice 45');
  const dm = copies.find((c) => c.to === 'ou_adam')!;
  const noReason = await tap('adam', dm, 'payment.reject');
  expect(noReason.body.toast.type).toBe('warning');
  expect(noReason.body.card).toBeUndefined();
  expect(await paymentRow(reference)).toEqual({ status: 'pending_approval', votes: 0 });

  const r = await tap('adam', dm, 'payment.reject', { formValue: { reason_1: 'Duplicate of invoice 44' } });
  expect(r.body.toast).toEqual({ type: 'success', content: `You rejected ${reference}.` });
  expect(statusOf(r.body.card.data)).toBe('Rejected');
  expect(json(r.body.card.data)).toContain('Duplicate of invoice 44');
  expect(await paymentRow(reference)).toEqual({ status: 'rejected', votes: 1 });
  const group = copies.find((c) => c.to === 'oc_approvals')!;
  expect(statusOf(api.patches.filter((p) => p.messageId === group.messageId).at(-1)!.card)).toBe('Rejected');
});

test('a redelivered card callback acts once', async () => {
  const { reference, copies } = await newPayment('80,000', 'Invoice 46');
  const dm = copies.find((c) => c.to === 'ou_tess')!;
  const first = await tap('tess', dm, 'payment.approve', { eventId: 'ev-redelivered' });
  const again = await tap('tess', dm, 'payment.approve', { eventId: 'ev-redelivered' });
  expect(first.body.toast.type).toBe('success');
  expect(again.body.toast).toEqual({ type: 'info', content: 'This tap was already handled; here is the current state.' });
  expect(statusOf(again.body.card.data)).toBe('Approved');
  expect(await paymentRow(reference)).toEqual({ status: 'approved', votes: 1 });
});

test('an unmapped Feishu user can read nothing and change nothing', async () => {
  const { reference, copies } = await newPayment('90,000', 'Invoice 47');
  const refused = await say('stranger', '/pay list');
  expect(json(refused)).toContain('is not linked to anyone in paydesk');
  expect(json(refused)).not.toContain('PAY-');
  const zh = await say('stranger', '/付款 列表');
  expect(json(zh)).toContain('尚未关联 paydesk 用户');

  const r = await tap('stranger', copies[0], 'payment.approve');
  expect(r.body.toast.type).toBe('error');
  expect(r.body.card).toBeUndefined();
  expect(await paymentRow(reference)).toEqual({ status: 'pending_approval', votes: 0 });
  expect(api.patches).toEqual([]);
});

test('the requester cannot approve their own payment from a card', async () => {
  const { reference, copies } = await newPayment('95,000', 'Invoice 48');
  const r = await tap('rita', copies[0], 'payment.approve');
  expect(r.body.toast.type).toBe('warning');
  expect(await paymentRow(reference)).toEqual({ status: 'pending_approval', votes: 0 });
  expect(f.users.requester).toBeDefined();
});

test('/付款 绑定 @某人 alice: an admin links the person the @-mention names, by their open_id', async () => {
  await t.db.tx(async (em) => {
    em.create(UserEntity, {
      id: randomUUID(), handle: 'wang', name: '小王', roles: ['requester'], approvalLimits: {}, locale: 'zh-CN', active: true, createdAt: new Date(),
    });
  });
  // The newcomer is not linked yet: paydesk tells them what to ask for.
  expect(json(await say('wang_real', '/付款 我是谁'))).toContain('尚未关联');

  // Feishu puts a key in the text and the person (with a display name that has a space) in `mentions`.
  const messageId = 'om_in_link_1';
  const event = textMessageEvent({
    token: TOKEN, openId: 'ou_root', messageId, text: '/付款 绑定 @_user_1 wang',
    mentions: [{ key: '@_user_1', openId: 'ou_wang_real', name: 'Wang Xiao' }],
  });
  expect((await post(event)).status).toBe(200);
  const reply = api.sent.find((s) => s.kind === 'reply' && s.to === messageId)!;
  expect(json(reply.card)).toContain('ou_wang_real');
  const row = (await t.db.read((em) => em.execute(`select feishu_open_id from users where handle = 'wang'`)))[0];
  expect(row.feishu_open_id).toBe('ou_wang_real');
  const audit = await t.db.read((em) => em.execute(`select actor, data from audit_events where action = 'directory.user.linked' order by seq desc limit 1`));
  expect(audit[0].actor).toBe('user:root');

  // From now on the newcomer is who the mention said.
  const whoami = json(await say('wang_real', '/付款 我是谁'));
  expect(whoami).toContain('wang');
  expect(whoami).toContain('小王');
  // A mention of someone else in the same command is never confused with the display name.
  expect(json(await say('root', '/付款 绑定 @Wang wang'))).not.toContain('已将');
});

/**
 * Approval cards end to end: the notifier posts through SlackSurface, approvers tap
 * buttons through the real Bolt receiver, every copy is chat.update'd in place.
 */
import { Writable } from 'node:stream';
import { SlackAdapter } from '../../adapters/slack/slack-app';
import { createLogger } from '../../src/logger';
import { ApiCall, FakeSlackApi } from '../support/fake-slack-api';
import { interactionForm } from '../support/slack-signing';
import { FORM, SlackHarness, startSlackHarness } from '../support/slack-harness';
import { TestDb } from '../support/test-db';

const SECRET = 'approvals-signing-secret';
let t: TestDb;
let fake: FakeSlackApi;
let adapter: SlackAdapter;
let h: SlackHarness;
const logLines: any[] = [];
let n = 0;

beforeAll(async () => {
  const sink = new Writable({ write: (chunk, _e, cb) => (logLines.push(JSON.parse(String(chunk))), cb()) });
  h = await startSlackHarness({
    secret: SECRET, notifier: true, log: createLogger({ level: 'warn', destination: sink }),
    slack: { approvalsChannel: '#approvals', dmApprovers: true }, adapter: { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 10 } },
  });
  ({ t, fake, adapter } = h);
});
afterAll(() => h.stop());

const settle = () => h.settle();
const post = (body: string, headers: Record<string, string> = {}, contentType: 'application/json' | typeof FORM = FORM) => h.post(body, headers, contentType);
const buttonsOf = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.action_id));
const votes = async (paymentId: string) =>
  Number((await t.db.read((em) => em.execute(`select count(*) as n from approvals where payment_id = ?`, [paymentId])))[0].n);

/** Creates a payment through /pay and waits for its approval cards; returns the channel copy. */
async function newPayment(text: string) {
  fake.reset();
  await post(new URLSearchParams({ command: '/pay', text: `new ${text}`, user_id: 'U_rita', channel_id: 'C_GENERAL', response_url: fake.responseUrl(`c${++n}`), trigger_id: 't', team_id: 'T0001' }).toString());
  const copy = await fake.waitFor(() => fake.callsTo('chat.postMessage').find((c) => c.args.channel === '#approvals'), 'approval card');
  await settle();
  const value = copy.args.blocks.find((b: any) => b.type === 'actions').elements[0].value;
  return { copy, value, paymentId: JSON.parse(value).id as string };
}

function tap(user: string, actionId: string, value: string, where: { channel: string; ts: string }, actionTs = `${Date.now() / 1000}`) {
  const id = `tap${++n}`;
  const payload = {
    type: 'block_actions', team: { id: 'T0001', domain: 'acme' }, user: { id: user, username: user, team_id: 'T0001' },
    api_app_id: 'A0001', token: 'legacy', trigger_id: `trig-${id}`, response_url: fake.responseUrl(id),
    container: { type: 'message', message_ts: where.ts, channel_id: where.channel, is_ephemeral: false },
    channel: { id: where.channel, name: 'approvals' },
    message: { type: 'message', ts: where.ts, blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Payment PAY-X' } }] },
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: actionTs, text: { type: 'plain_text', text: 'x' } }],
  };
  return { id, payload, body: interactionForm(payload) };
}
/** Where the approvals-channel copy of a payment's card is (as Slack answered chat.postMessage). */
async function channelCopyOf(paymentId: string): Promise<{ channel: string; ts: string }> {
  const rows = await t.db.read((em) => em.execute(`select channel, ts from slack_card_messages where card_key = ? and target = '#approvals'`, [`payment:${paymentId}`]));
  return rows[0] as { channel: string; ts: string };
}
const updatesOf = (channel: string, ts: string): ApiCall[] => fake.callsTo('chat.update').filter((c) => c.args.channel === channel && c.args.ts === ts);

test('a new payment is posted to the approvals channel and to each eligible approver, recorded per copy', async () => {
  const { copy, paymentId } = await newPayment('50,000 to acme for Invoice 42');
  expect(buttonsOf(copy.args.blocks)).toEqual(['payment.approve', 'payment.reject']);
  expect(copy.args.text).toMatch(/Pending approval/);
  const dms = fake.callsTo('conversations.open').map((c) => c.args.users).sort();
  expect(dms).toEqual(['U_adam', 'U_amy', 'U_lou', 'U_tess']); // approvers and the treasurer; never the requester
  const rows = await t.db.read((em) => em.execute(`select target, channel from slack_card_messages where card_key = ? order by target`, [`payment:${paymentId}`]));
  expect(rows).toEqual([
    { target: '#approvals', channel: 'C_approvals' },
    { target: 'U_adam', channel: 'D_adam' }, { target: 'U_amy', channel: 'D_amy' },
    { target: 'U_lou', channel: 'D_lou' }, { target: 'U_tess', channel: 'D_tess' },
  ]);
});

test('Approve: the tapped card and every copy are updated in place, buttons gone', async () => {
  const { copy, value, paymentId } = await newPayment('60,000 to acme for Invoice 43');
  expect(copy.args.channel).toBe('#approvals');
  const channelCopy = await channelCopyOf(paymentId);
  const posted = fake.callsTo('chat.postMessage').length;
  const tapped = tap('U_adam', 'payment.approve', value, channelCopy);
  const res = await post(tapped.body);
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  await fake.waitFor(() => fake.callsTo('chat.update').length >= 5, 'every copy updated');
  await settle();
  const last = updatesOf(channelCopy.channel, channelCopy.ts).at(-1)!;
  expect(last.args.blocks[1].text.text).toMatch(/Approved/);
  expect(buttonsOf(last.args.blocks)).toEqual([]);
  // lou (limit ¥50,000) was never sent this ¥60,000 card: a tap could only be refused.
  expect(fake.callsTo('chat.postMessage').some((c) => c.args.channel === 'D_lou' && JSON.stringify(c.args).includes(paymentId))).toBe(false);
  for (const dm of ['D_adam', 'D_amy', 'D_tess']) {
    const update = fake.callsTo('chat.update').filter((c) => c.args.channel === dm).at(-1);
    expect(buttonsOf(update!.args.blocks)).toEqual([]);
  }
  expect(fake.callsTo('chat.postMessage').length).toBe(posted + 1); // only the requester's DM, no new cards
  expect(fake.callsTo('chat.postMessage').at(-1)!.args.channel).toBe('D_rita');
  expect(fake.responses.filter((r) => r.id === tapped.id)).toEqual([]); // success needs no ephemeral
});

test('Reject: opens a reason modal, refuses an empty reason on the field, then rejects with it', async () => {
  const { value, paymentId } = await newPayment('70,000 to acme for Invoice 44');
  const where = await channelCopyOf(paymentId);
  const tapped = tap('U_amy', 'payment.reject', value, where);
  await post(tapped.body);
  const open = await fake.waitFor(() => fake.callsTo('views.open')[0], 'reason modal');
  expect(open.args.trigger_id).toBe(`trig-${tapped.id}`);
  expect(open.args.view.callback_id).toBe('payment.reject.reason');
  expect(await votes(paymentId)).toBe(0); // the tap itself decides nothing

  const submit = (reason: string) => ({
    type: 'view_submission', team: { id: 'T0001' }, user: { id: 'U_amy', team_id: 'T0001' }, api_app_id: 'A0001', token: 'legacy',
    view: { id: 'V-reject-1', type: 'modal', callback_id: 'payment.reject.reason', private_metadata: open.args.view.private_metadata, state: { values: { reason: { value: { type: 'plain_text_input', value: reason } } } } },
  });
  const empty = await post(interactionForm(submit(' ')));
  expect(empty.json).toEqual({ response_action: 'errors', errors: { reason: 'A rejection needs a reason.' } });
  expect(await votes(paymentId)).toBe(0);

  const done = await post(interactionForm(submit('Duplicate of invoice 41')));
  expect(done.text).toBe('');
  const update = await fake.waitFor(() => updatesOf(where.channel, where.ts).find((u) => /Rejected/.test(u.args.blocks[1].text.text)), 'rejected card');
  expect(buttonsOf(update.args.blocks)).toEqual([]);
  expect(JSON.stringify(update.args.blocks)).toContain('Duplicate of invoice 41');
  await settle();
  const status = await t.db.read((em) => em.execute(`select status from payments where id = ?`, [paymentId]));
  expect(status[0].status).toBe('rejected');
});

test('Reject through the modal while the commit is slow: the ack waits for the commit; a refusal stays on the modal', async () => {
  const { value, paymentId } = await newPayment('71,000 to acme for Invoice 45');
  const where = await channelCopyOf(paymentId);
  fake.reset();
  await post(tap('U_amy', 'payment.reject', value, where).body);
  const open = await fake.waitFor(() => fake.callsTo('views.open')[0], 'reason modal');
  const submit = (viewId: string, reason: string, user = 'U_amy') => interactionForm({
    type: 'view_submission', team: { id: 'T0001' }, user: { id: user, team_id: 'T0001' }, api_app_id: 'A0001', token: 'legacy',
    view: { id: viewId, type: 'modal', callback_id: 'payment.reject.reason', private_metadata: open.args.view.private_metadata, state: { values: { reason: { value: { type: 'plain_text_input', value: reason } } } } },
  });

  // Slow commit: another transaction holds the payment row, so the rejection waits on its lock.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holder = t.db.tx(async (em) => {
    await em.execute(`select id from payments where id = ? for update`, [paymentId]);
    locked();
    await held;
  });
  await isLocked;
  let answered = false;
  const answer = post(submit('V-reject-slow', 'Duplicate of invoice 43')).then((r) => ((answered = true), r));
  // Until the rejection is waiting on the row lock, nothing can be said about the order.
  for (let i = 0; i < 500; i++) {
    const waiting = await t.db.read((em) => em.execute(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%from "payments"%for update%'`));
    if (waiting[0].n > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(answered).toBe(false); // not acknowledged while the decision is not committed
  release();
  await holder;
  const done = await answer;
  expect(done.text).toBe('');
  expect(await votes(paymentId)).toBe(1); // committed by the time Slack had its answer

  // A business refusal after the checks of the form: the payment is decided, shown on the reason field.
  const late = await post(submit('V-reject-late', 'Also a duplicate', 'U_adam'));
  expect(late.json).toMatchObject({ response_action: 'errors', errors: { reason: expect.stringMatching(/changed since this card was shown|rejected/i) } });
  await settle();
  expect(await votes(paymentId)).toBe(1);
});

test('a rate-limiting Slack (429 Retry-After): every copy ends in the final state, updates in order, coalesced, none lost', async () => {
  const { paymentId } = await newPayment('500,000 to acme for Machine 7'); // two approvals needed
  const copies = (await t.db.read((em) => em.execute(`select channel, ts from slack_card_messages where card_key = ?`, [`payment:${paymentId}`]))) as { channel: string; ts: string }[];
  expect(copies.length).toBeGreaterThan(1);
  fake.reset();
  fake.rateLimitNext('chat.update', copies.length + 2, 1); // the first round of refreshes is turned away
  const reference = String((await t.db.read((em) => em.execute(`select reference from payments where id = ?`, [paymentId])))[0].reference);
  // Two approvals in quick succession from chat text: only the outbox refreshes the cards.
  for (const who of ['U_adam', 'U_tess']) {
    const r = await h.router.handleText({ actor: { platform: 'slack', platformUserId: who }, text: `/pay approve ${reference}`, channel: 'C_GENERAL' });
    expect(r.view.kind).toBe('card'); // the card as it is now: the vote counted
  }
  expect(await votes(paymentId)).toBe(2);
  const updatesOfCopy = (c: { channel: string; ts: string }) => updatesOf(c.channel, c.ts).map((u) => (buttonsOf(u.args.blocks).length > 0 ? 'open' : 'final'));
  await fake.waitFor(() => copies.every((c) => updatesOfCopy(c).at(-1) === 'final'), 'every copy final', 30_000);
  expect(fake.rateLimited.length).toBe(copies.length + 2); // they were turned away, then waited out, not dropped
  for (const c of copies) {
    const seq = updatesOfCopy(c);
    expect(seq.slice(seq.indexOf('final')).every((x) => x === 'final')).toBe(true); // a stale card never follows the final one
    expect(seq.length).toBeLessThanOrEqual(3); // three events (two votes, the approval): never more refreshes than that
  }
  await settle();
  const left = await t.db.read((em) => em.execute(`select count(*)::int as n from outbox_deliveries where consumer = 'notifier:slack' and state <> 'done'`));
  expect(left[0].n).toBe(0);
});

test('a Slack redelivery and a double click each act once; the extra tap answers with the current state', async () => {
  const { value, paymentId } = await newPayment('500,000 to acme for Machine'); // two approvals needed
  const where = await channelCopyOf(paymentId);
  const first = tap('U_adam', 'payment.approve', value, where, '1700000001.000001');
  await post(first.body);
  await post(first.body, { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' });
  await fake.waitFor(() => updatesOf(where.channel, where.ts).length >= 2, 'both answers');
  await settle();
  expect(await votes(paymentId)).toBe(1);
  // The redelivery was recognised by its receipt (same action_ts), not refused as a second vote.
  expect(fake.responses.filter((r) => r.id === first.id)).toEqual([]);

  const second = tap('U_adam', 'payment.approve', value, where, '1700000001.500000'); // a second physical click
  await post(second.body);
  const ephemeral = await fake.waitFor(() => fake.responses.find((r) => r.id === second.id)?.body, 'refusal');
  expect(ephemeral).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  expect(ephemeral.text).toMatch(/changed since this card was shown/);
  await settle();
  expect(await votes(paymentId)).toBe(1);
  const latest = updatesOf(where.channel, where.ts).at(-1)!;
  expect(JSON.stringify(latest.args.blocks)).toMatch(/ADAM/); // the card names who approved
  expect(latest.args.blocks[1].text.text).toMatch(/Pending approval/);
});

test('a tap by an unmapped Slack user is explained ephemerally and changes nothing', async () => {
  const { value, paymentId } = await newPayment('80,000 to acme for Invoice 45');
  const t1 = tap('U_stranger', 'payment.approve', value, { channel: 'C_approvals', ts: '1.1' });
  await post(t1.body);
  const body = await fake.waitFor(() => fake.responses.find((r) => r.id === t1.id)?.body, 'explanation');
  expect(body).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/is not linked to anyone in paydesk/) });
  await settle();
  expect(await votes(paymentId)).toBe(0);
  expect(fake.callsTo('chat.update').filter((c) => c.args.ts === '1.1')).toEqual([]);
});

test('follow-ups after a tap are retried with back-off and logged when they give up; outbox updates throw for the outbox to retry', async () => {
  const { paymentId } = await newPayment('95,000 to acme for Invoice 47');
  const where = await channelCopyOf(paymentId);
  const msg = { text: 'Refreshed', blocks: [] };
  fake.reset();
  fake.failNext('chat.update', 2, 'internal_error');
  await adapter.surface.updateMessage(where.channel, where.ts, msg, { key: `payment:${paymentId}` });
  expect(fake.callsTo('chat.update')).toHaveLength(3); // needed a second and a third try
  expect(logLines.filter((l) => l.msg === 'slack follow-up failed; retrying' && l.key === `payment:${paymentId}`)).toHaveLength(2);

  fake.reset();
  fake.failNext('chat.update', 1, 'message_not_found'); // permanent: not retried, but never silent
  await adapter.surface.updateMessage(where.channel, where.ts, msg, { key: `payment:${paymentId}` });
  expect(fake.callsTo('chat.update')).toHaveLength(1);
  expect(logLines.filter((l) => l.msg === 'slack follow-up failed; giving up' && l.key === `payment:${paymentId}`)).toEqual([
    expect.objectContaining({ level: 50, slackError: 'message_not_found', what: 'chat.update', key: `payment:${paymentId}` }),
  ]);

  // The notifier's refresh is an outbox delivery: a failure is thrown (the outbox retries it durably), after the other copies were done.
  const card = () => ({ kind: 'card' as const, title: 'Refreshed', fields: [], warnings: [], context: [], buttons: [] });
  fake.reset();
  fake.failNext('chat.update', 1, 'internal_error');
  await expect(adapter.surface.updateCard({ key: `payment:${paymentId}`, card })).rejects.toThrow(/internal_error/);
  expect(fake.callsTo('chat.update')).toHaveLength(4); // four copies (lou's limit is below ¥95,000), each tried once
  await settle();
});

/**
 * App Home and alert cards through the real Bolt receiver: Home shows what waits for me
 * (and refreshes after a tap there); alerts carry an Acknowledge button routed to the
 * command layer's extra actions.
 */
import { createSlackAdapter, SlackAdapter } from '../../adapters/slack/slack-app';
import type { SlackConfig } from '../../src/config';
import { HttpServer } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import type { ActionRequest } from '../../commands/contracts';
import { message, type CardView } from '../../commands/view/view';
import { CreatePayment } from '../../src/services/payments/create-payment';
import { FakeSlackApi } from '../support/fake-slack-api';
import { Fixture } from '../support/fixtures';
import { eventBody, interactionForm, postSigned } from '../support/slack-signing';
import { FORM, SlackHarness, startSlackHarness } from '../support/slack-harness';
import { TestDb } from '../support/test-db';

const SECRET = 'home-signing-secret';
let t: TestDb;
let f: Fixture;
let fake: FakeSlackApi;
let adapter: SlackAdapter;
let create: CreatePayment;
let h: SlackHarness;
const acks: ActionRequest[] = [];

beforeAll(async () => {
  h = await startSlackHarness({
    secret: SECRET, notifier: true, slack: { approvalsChannel: 'C_APPROVALS' },
    extraActions: {
      'alert.ack': async (req) => {
        acks.push(req);
        const card: CardView = { kind: 'card', title: 'Low balance', status: { label: 'Acknowledged by TESS', tone: 'good' }, fields: [], warnings: [], context: [], buttons: [] };
        return { visibility: 'ephemeral', view: message('good', 'Acknowledged'), card, toast: { tone: 'good', text: 'Acknowledged' } };
      },
    },
  });
  ({ t, f, fake, adapter, create } = h);
});
afterAll(() => h.stop());

const settle = () => h.settle();
const post = (body: string, headers: Record<string, string> = {}, contentType: 'application/json' | typeof FORM = FORM) => h.post(body, headers, contentType);
const buttonsOf = (blocks: any[]) => blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements.map((e: any) => e.action_id));

/** A payment from rita waiting for one approval; returns the value its buttons carry. */
async function newPayment(purpose: string): Promise<{ id: string; value: string }> {
  const r = await create.execute({
    source: 'chat', debtorAccountId: f.accountId, payeeId: f.knownPayeeId, amount: { minor: 9_000_000n, currency: 'CNY' },
    purpose, requesterId: f.users.requester, actor: 'user:rita',
  });
  if (!r.ok) throw new Error(r.code);
  await settle();
  return { id: r.value.payment.id, value: JSON.stringify({ id: r.value.payment.id, v: r.value.payment.version }) };
}

function tapPayload(user: string, actionId: string, value: string, container: Record<string, unknown>) {
  return {
    type: 'block_actions', team: { id: 'T0001' }, user: { id: user, team_id: 'T0001' }, api_app_id: 'A0001', token: 'legacy',
    trigger_id: 'trig-home', container, ...(container.channel_id ? { channel: { id: container.channel_id }, response_url: fake.responseUrl(`r-${user}`) } : {}),
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: `${Date.now() / 1000}` }],
  };
}

test('App Home lists my pending approvals with buttons; a retried event is not acted on twice', async () => {
  await newPayment('Invoice 46');
  // The new payment refreshes every approver's Home through the outbox: let that finish before counting.
  await settle();
  fake.reset();
  const body = eventBody({ type: 'app_home_opened', user: 'U_tess', channel: 'D_tess', tab: 'home', event_ts: '1.2' }, 'EvHOME1');
  expect((await post(body, {}, 'application/json')).status).toBe(200);
  const publish = await fake.waitFor(() => fake.callsTo('views.publish')[0], 'views.publish');
  expect(publish.args.user_id).toBe('U_tess');
  expect(publish.args.view.type).toBe('home');
  const text = JSON.stringify(publish.args.view.blocks);
  expect(text).toContain('Waiting for my approval');
  expect(text).toContain('Invoice 46');
  expect(buttonsOf(publish.args.view.blocks)).toContain('payment.approve');
  expect(publish.args.view.blocks.length).toBeLessThanOrEqual(100);

  await post(body, { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' }, 'application/json');
  await new Promise((r) => setTimeout(r, 100));
  await settle();
  expect(fake.callsTo('views.publish')).toHaveLength(1);

  // The requester's Home shows her requests instead.
  await post(eventBody({ type: 'app_home_opened', user: 'U_rita', channel: 'D_rita', tab: 'home', event_ts: '1.3' }), {}, 'application/json');
  const rita = await fake.waitFor(() => fake.callsTo('views.publish').find((c) => c.args.user_id === 'U_rita'), 'rita home');
  expect(JSON.stringify(rita.args.view.blocks)).toContain('My recent requests');
  expect(buttonsOf(rita.args.view.blocks)).toEqual([]);
});


test('a redelivered app_home_opened is ignored by a restarted process or another replica (receipts table, not memory)', async () => {
  const body = eventBody({ type: 'app_home_opened', user: 'U_tess', channel: 'D_tess', tab: 'home', event_ts: '1.9' }, 'EvHOME_REPLICA');
  fake.reset();
  expect((await post(body, {}, 'application/json')).status).toBe(200);
  await fake.waitFor(() => fake.callsTo('views.publish')[0], 'first publish');
  await settle();

  // A second Slack adapter over the same database: a fresh process (restart) or another replica.
  const replicaSecret = 'replica-signing-secret';
  const replica = createSlackAdapter({
    config: { mode: 'http', botToken: 'xoxb-test', signingSecret: replicaSecret, apiUrl: fake.apiUrl, dmApprovers: false } as SlackConfig,
    commands: h.router, log: createLogger({ level: 'silent' }), db: t.db, defaultLocale: 'en',
  });
  const http = new HttpServer(createLogger({ level: 'silent' }));
  http.register(replica.httpHandler!);
  const url = `http://127.0.0.1:${(await http.listen('127.0.0.1', 0)).port}/slack/events`;
  await replica.start();
  try {
    const retry = await postSigned(url, { body, contentType: 'application/json', secret: replicaSecret, headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    // A new event id on the replica is published, which shows the replica acts at all and that the retry had time to.
    await postSigned(url, { body: eventBody({ type: 'app_home_opened', user: 'U_tess', channel: 'D_tess', tab: 'home', event_ts: '2.0' }, 'EvHOME_FRESH'), contentType: 'application/json', secret: replicaSecret });
    await fake.waitFor(() => fake.callsTo('views.publish')[1], 'publish of the fresh event');
    await replica.settle();
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.callsTo('views.publish')).toHaveLength(2);
    const receipts = await t.db.read((em) => em.execute(`select receipt_id from interaction_receipts where platform = 'slack-event' and receipt_id like 'EvHOME%' order by receipt_id`));
    expect(receipts.map((r) => String(r.receipt_id))).toEqual(expect.arrayContaining(['EvHOME_FRESH', 'EvHOME_REPLICA']));
  } finally {
    await replica.stop();
    await http.close();
  }
});

test('an unlinked person\'s Home says their member id and the exact command to ask an admin for', async () => {
  fake.reset();
  await post(eventBody({ type: 'app_home_opened', user: 'U_nobody', channel: 'D_nobody', tab: 'home', event_ts: '3.1' }), {}, 'application/json');
  const publish = await fake.waitFor(() => fake.callsTo('views.publish').find((c) => c.args.user_id === 'U_nobody'), 'home of a stranger');
  expect(JSON.stringify(publish.args.view.blocks)).toContain('Your Slack account (U_nobody) is not linked to anyone in paydesk. Ask a paydesk admin to type: /pay link &lt;@U_nobody&gt; &lt;handle&gt;');
  expect(buttonsOf(publish.args.view.blocks)).toEqual([]);
});

test('approving from App Home republishes it without that payment', async () => {
  const { id, value } = await newPayment('Invoice 48 from home');
  fake.reset();
  await post(interactionForm(tapPayload('U_tess', 'payment.approve', value, { type: 'view', view_id: 'V_HOME_TESS' })));
  const publish = await fake.waitFor(() => fake.callsTo('views.publish').find((c) => c.args.user_id === 'U_tess'), 'home refresh');
  await settle();
  expect(JSON.stringify(publish.args.view.blocks)).not.toContain('Invoice 48 from home');
  const rows = await t.db.read((em) => em.execute(`select status from payments where id = ?`, [id]));
  expect(rows[0].status).toBe('approved');
  // Home has no message to update, but the channel copy is refreshed by the notifier.
  // The refresh is an outbox delivery: wait for it rather than assume it was done by the time the tap answered.
  const channelUpdate = await fake.waitFor(
    () => fake.callsTo('chat.update').find((c) => c.args.channel === 'C_APPROVALS' && buttonsOf(c.args.blocks).length === 0),
    'channel copy refreshed without buttons',
  );
  expect(buttonsOf(channelUpdate.args.blocks)).toEqual([]);
  // Every other approver who had it waiting sees their Home without it too, unasked.
  for (const other of ['U_adam', 'U_amy']) {
    const home = await fake.waitFor(() => fake.callsTo('views.publish').filter((c) => c.args.user_id === other).at(-1), `${other} home`);
    expect(JSON.stringify(home.args.view.blocks)).not.toContain('Invoice 48 from home');
  }
});

test('an alert is posted with an Acknowledge button; the tap reaches the alert handler and updates the card', async () => {
  fake.reset();
  const card = (): CardView => ({ kind: 'card', title: 'Low balance: CMB CNY', status: { label: 'Medium', tone: 'warning' }, fields: [{ label: 'Balance', value: 'CNY 1,000.00' }], warnings: [], context: [], buttons: [] });
  await adapter.surface.postAlert({ channel: 'C0ALERTS', key: 'alert:low_balance:cmb-cny', card });
  const posted = fake.callsTo('chat.postMessage').find((c) => c.args.channel === 'C0ALERTS')!;
  expect(buttonsOf(posted.args.blocks)).toEqual(['alert.ack']);
  // A repeated post of the same alert key does not add a second message.
  await adapter.surface.postAlert({ channel: 'C0ALERTS', key: 'alert:low_balance:cmb-cny', card });
  expect(fake.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0ALERTS')).toHaveLength(1);

  const ackButton = posted.args.blocks.at(-1).elements[0];
  await post(interactionForm(tapPayload('U_tess', 'alert.ack', ackButton.value, { type: 'message', channel_id: 'C0ALERTS', message_ts: '1700000099.000100' })));
  const update = await fake.waitFor(() => fake.callsTo('chat.update').find((c) => c.args.channel === 'C0ALERTS'), 'alert update');
  expect(acks.map((a) => [a.actionId, a.value, a.actor.platformUserId])).toEqual([['alert.ack', '{"id":"low_balance:cmb-cny"}', 'U_tess']]);
  expect(update.args.ts).toBe('1700000099.000100');
  expect(update.args.blocks[1].text.text).toContain('Acknowledged by TESS');
  expect(buttonsOf(update.args.blocks)).toEqual([]);
});

/**
 * Slash commands and the new-payment modal through the real Bolt HTTPReceiver mounted on
 * paydesk's HttpServer, with Slack's Web API played by a loopback fake.
 */
import { createSlackAdapter, SlackAdapter } from '../../adapters/slack/slack-app';
import { HttpServer } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import { FakeSlackApi } from '../support/fake-slack-api';
import { interactionForm, postSigned, slashCommandForm } from '../support/slack-signing';
import { FORM, SlackHarness, startSlackHarness } from '../support/slack-harness';
import { TestDb } from '../support/test-db';

const SECRET = 'commands-signing-secret';
let t: TestDb;
let fake: FakeSlackApi;
let adapter: SlackAdapter;
let url: string;
let h: SlackHarness;
let n = 0;

beforeAll(async () => {
  h = await startSlackHarness({ secret: SECRET, adapter: { timeZone: 'UTC' } });
  ({ t, fake, adapter, url } = h);
});
afterAll(() => h.stop());
beforeEach(() => fake.reset());

/** Posts a slash command; returns the HTTP answer and the id of its response_url. */
async function slash(user: string, command: string, text: string, sign: { secret?: string; timestamp?: number } = { secret: SECRET }) {
  const id = `r${++n}`;
  const body = slashCommandForm({ command, text, user_id: user, response_url: fake.responseUrl(id), trigger_id: `trig-${id}` });
  const res = await postSigned(url, { body, contentType: FORM, ...sign });
  return { ...res, id };
}
const responseTo = (id: string) => fake.waitFor(() => fake.responses.find((r) => r.id === id)?.body, `response ${id}`);
const blockText = (blocks: any[]) => JSON.stringify(blocks);
const paymentCount = async () => Number((await t.db.read((em) => em.execute(`select count(*) as n from payments`)))[0].n);

test('/balance answers ephemerally through response_url after an empty ack', async () => {
  const res = await slash('U_tess', '/balance', '');
  expect(res.status).toBe(200);
  expect(res.text).toBe('');
  const body = await responseTo(res.id);
  expect(body.response_type).toBe('ephemeral');
  expect(blockText(body.blocks)).toContain('CMB CNY');
  expect(body.text).toBeTruthy();
});

test('/pay new with arguments creates a payment and answers with its card', async () => {
  const before = await paymentCount();
  const res = await slash('U_rita', '/pay', 'new 50,000 to acme for Invoice 42');
  const body = await responseTo(res.id);
  expect(body.blocks[0]).toMatchObject({ type: 'header', text: { text: expect.stringMatching(/^Payment PAY-\d{4}-\d{6}$/) } });
  expect(blockText(body.blocks)).toContain('Invoice 42');
  expect(await paymentCount()).toBe(before + 1);
  // A typo gets the usage line, not a payment.
  const typo = await slash('U_rita', '/pay', 'new to acme');
  expect((await responseTo(typo.id)).response_type).toBe('ephemeral');
  expect(await paymentCount()).toBe(before + 1);
});

test('/pay new with no arguments opens the modal with the directory as options', async () => {
  const res = await slash('U_rita', '/pay', 'new');
  expect(res.status).toBe(200);
  const open = await fake.waitFor(() => fake.callsTo('views.open')[0], 'views.open');
  expect(open.args.trigger_id).toBe(`trig-${res.id}`);
  expect(open.args.view.callback_id).toBe('payment.new');
  const options = (block: string) => open.args.view.blocks.find((b: any) => b.block_id === block).element.options.map((o: any) => o.value);
  expect(options('account')).toEqual(['cmb-cny']);
  expect(options('payee')).toEqual(['acme', 'newco']);
  expect(JSON.parse(open.args.view.private_metadata)).toEqual({ responseUrl: fake.responseUrl(res.id), channel: 'C_GENERAL' });
  expect(fake.responses).toEqual([]); // no usage text besides the modal
});

function submission(user: string, values: Record<string, string | undefined>, responseId: string) {
  const sel = (v?: string) => ({ value: { type: 'static_select', selected_option: v ? { value: v, text: { type: 'plain_text', text: v } } : null } });
  const input = (v?: string) => ({ value: { type: 'plain_text_input', value: v ?? null } });
  return {
    type: 'view_submission',
    team: { id: 'T0001', domain: 'acme' },
    user: { id: user, username: user, team_id: 'T0001' },
    api_app_id: 'A0001',
    token: 'legacy',
    trigger_id: `trig-sub-${responseId}`,
    view: {
      id: `V-${responseId}`, type: 'modal', team_id: 'T0001', app_id: 'A0001', callback_id: 'payment.new', hash: 'h',
      private_metadata: JSON.stringify({ responseUrl: fake.responseUrl(responseId), channel: 'C_GENERAL' }),
      state: {
        values: {
          account: sel(values.account), payee: sel(values.payee), amount: input(values.amount), currency: sel(values.currency),
          purpose: input(values.purpose), date: { value: { type: 'datepicker', selected_date: values.date ?? null } },
        },
      },
    },
  };
}

test('an invalid modal submission is answered with errors on each field and creates nothing', async () => {
  const before = await paymentCount();
  const payload = submission('U_rita', { account: 'cmb-cny', payee: 'acme', amount: '1,23', currency: 'CNY', purpose: '', date: '2020-01-01' }, 'bad');
  const res = await postSigned(url, { body: interactionForm(payload), contentType: FORM, secret: SECRET });
  expect(res.status).toBe(200);
  expect(res.json).toEqual({
    response_action: 'errors',
    errors: {
      purpose: 'Required.',
      amount: expect.stringContaining('separators'),
      date: 'The date cannot be in the past.',
    },
  });
  await adapter.settle();
  expect(await paymentCount()).toBe(before);
});

test('a valid modal submission closes the modal, creates the payment and answers where /pay new was typed', async () => {
  const before = await paymentCount();
  const payload = submission('U_rita', { account: 'cmb-cny', payee: 'newco', amount: '1.5万', currency: 'CNY', purpose: 'Deposit for "to" the office', date: '2099-01-02' }, 'good');
  const res = await postSigned(url, { body: interactionForm(payload), contentType: FORM, secret: SECRET });
  expect(res.status).toBe(200);
  expect(res.text).toBe(''); // empty ack = close the modal
  const body = await responseTo('good');
  expect(body.response_type).toBe('ephemeral');
  expect(blockText(body.blocks)).toContain('Deposit for \\"to\\" the office');
  const rows = await t.db.read((em) => em.execute(`select amount_minor, purpose, execution_date::text as d from payments order by created_at desc limit 1`));
  expect(rows[0]).toEqual({ amount_minor: '1500000', purpose: 'Deposit for "to" the office', d: '2099-01-02' });
  expect(await paymentCount()).toBe(before + 1);
});

test('unsigned, wrongly signed and 6-minute-old requests are refused with 401 and do nothing', async () => {
  const unsigned = await slash('U_tess', '/balance', '', {});
  const wrong = await slash('U_tess', '/balance', '', { secret: 'not-the-secret' });
  const stale = await slash('U_tess', '/balance', '', { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
  expect([unsigned.status, wrong.status, stale.status]).toEqual([401, 401, 401]);
  await new Promise((r) => setTimeout(r, 100));
  await adapter.settle();
  expect(fake.responses).toEqual([]);
  expect(fake.calls).toEqual([]);
  // The same request correctly signed goes through, so the 401s were about the signature.
  const ok = await slash('U_tess', '/balance', '');
  expect(ok.status).toBe(200);
  await responseTo(ok.id);
});

test('a Slack user with no paydesk identity is told their member id and what to ask an admin, privately, and gets no modal', async () => {
  const paymentsBefore = await paymentCount();
  const res = await slash('U_stranger', '/pay', 'new');
  const body = await responseTo(res.id);
  expect(body).toMatchObject({ response_type: 'ephemeral' });
  expect(body.text).toBe('Your Slack account (U_stranger) is not linked to anyone in paydesk. Ask a paydesk admin to type: /pay link <@U_stranger> <handle>');
  const list = await slash('U_stranger', '/pay', 'list');
  expect((await responseTo(list.id)).text).toContain('/pay link <@U_stranger> <handle>');
  expect(fake.callsTo('views.open')).toEqual([]);
  expect(await paymentCount()).toBe(paymentsBefore);
});

test('other paths and methods are left to the rest of the server', async () => {
  const base = url.replace('/slack/events', '');
  expect((await fetch(`${base}/slack/events`)).status).toBe(404);
  expect((await fetch(`${base}/slack/eventsx`, { method: 'POST' })).status).toBe(404);
});

test('a bad bot token stops start-up, and nothing is processed before start', async () => {
  const log = createLogger({ level: 'silent' });
  const handler = { resolveUser: jest.fn(), handleText: jest.fn(), handleAction: jest.fn() };
  const broken = createSlackAdapter({
    config: { mode: 'http', botToken: 'xoxb-revoked', signingSecret: SECRET, apiUrl: fake.apiUrl, dmApprovers: false },
    commands: handler, log,
  });
  const server = new HttpServer(log);
  server.register(broken.httpHandler!);
  const brokenUrl = `http://127.0.0.1:${(await server.listen('127.0.0.1', 0)).port}/slack/events`;
  try {
    const early = await postSigned(brokenUrl, { body: slashCommandForm({ command: '/balance', text: '', user_id: 'U_tess', response_url: fake.responseUrl('early') }), contentType: FORM, secret: SECRET });
    expect(early.status).toBe(503); // Slack retries; acting before auth.test passed is not safe
    fake.failNext('auth.test', 1, 'invalid_auth');
    await expect(broken.start()).rejects.toThrow(/invalid_auth/);
    expect(handler.resolveUser).not.toHaveBeenCalled();
  } finally {
    await server.close();
  }
});

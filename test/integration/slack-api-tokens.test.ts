/**
 * `/pay token …` (`/付款 令牌 …`) through signed Slack requests into the real Bolt
 * receiver: the secret arrives once, by direct message, never in the reply; the
 * token works against the REST API until it is revoked (then 401); non-admins and
 * unknown scopes are refused with nothing stored and nothing sent.
 */
import { tokenCommand } from '../../commands/tokens/token.command';
import { addDays, localDateOf, zonedInstant } from '../../src/domain/schedule';
import { createLogger } from '../../src/logger';
import { CancelPayment } from '../../src/services/payments/cancel-payment';
import { ApiServer, startApiServer } from '../support/api-server';
import { slashCommandForm } from '../support/slack-signing';
import { SlackHarness, startSlackHarness } from '../support/slack-harness';

const SECRET = 'token-signing-secret';
let h: SlackHarness;
let api: ApiServer;
let n = 0;
// The REST API checks expiry against the real clock, so the command uses it too; dates below are made from it.
const ZONE = 'Asia/Shanghai';
const today = () => localDateOf(new Date(), ZONE);

beforeAll(async () => {
  h = await startSlackHarness({
    secret: SECRET,
    extraCommands: (surface, t) => {
      const tokens = tokenCommand({ db: t.db, surfaces: [surface], timeZone: ZONE, log: createLogger({ level: 'silent' }) });
      return { token: tokens, 令牌: tokens };
    },
  });
  api = await startApiServer({ db: h.t.db, createPayment: h.create, cancelPayment: new CancelPayment(h.t.db, h.events), events: h.events });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});
beforeEach(() => h.fake.reset());

async function slash(user: string, text: string, command = '/pay') {
  const id = `r${++n}`;
  const res = await h.post(slashCommandForm({ command, text, user_id: user, response_url: h.fake.responseUrl(id), trigger_id: `trig-${id}` }));
  expect(res.status).toBe(200);
  const body = await h.fake.waitFor(() => h.fake.responses.find((r) => r.id === id)?.body, `response ${id}`);
  await h.settle();
  return { body, text: JSON.stringify(body) };
}
const SECRET_RE = /pd_[A-Za-z0-9_-]{40,}/;
const dms = () => h.fake.callsTo('chat.postMessage').filter((c) => String(c.args.channel).startsWith('D'));
const tokenRows = (name: string) => h.t.db.read((em) => em.execute(`select name, scopes, expires_at, revoked_at from api_tokens where name = ?`, [name]));
const apiStatus = async (secret: string) =>
  (await fetch(`${api.base}/api/v1/payments`, { headers: { authorization: `Bearer ${secret}` } })).status;

test('an admin creates a token: the secret comes once by DM, the reply never carries it, and the API accepts it until revoked', async () => {
  const created = await slash('U_root', 'token create erp-chat scopes payments:write,payments:read:own expires 30d');
  expect(created.body.response_type).toBe('ephemeral');
  expect(created.text).toContain('Token erp-chat created');
  expect(created.text).toContain('direct message');
  expect(created.text).not.toMatch(SECRET_RE);
  const sent = dms();
  expect(sent).toHaveLength(1);
  expect(h.fake.callsTo('conversations.open')[0].args.users).toBe('U_root');
  const secret = SECRET_RE.exec(JSON.stringify(sent[0].args))![0];
  // Valid through the 30th day from today in Shanghai: it expires at the start of the next day there.
  const expiry = zonedInstant(addDays(today(), 31), 0, ZONE).toISOString();
  const [row] = await tokenRows('erp-chat');
  expect(row).toMatchObject({ scopes: ['payments:write', 'payments:read:own'], revoked_at: null });
  expect(new Date(row.expires_at).toISOString()).toBe(expiry);
  const audit = await h.t.db.read((em) => em.execute(`select actor, data from audit_events where action = 'api_token.created' and subject_id = 'erp-chat'`));
  expect(audit).toEqual([{ actor: 'user:root', data: { scopes: ['payments:write', 'payments:read:own'], expiresAt: expiry } }]);

  expect(await apiStatus(secret)).toBe(200);
  const listed = await slash('U_root', 'token list');
  expect(listed.text).toContain('erp-chat');
  expect(listed.text).not.toMatch(SECRET_RE);

  h.fake.reset();
  const revoked = await slash('U_root', 'token revoke erp-chat');
  expect(revoked.text).toContain('Token erp-chat is revoked');
  expect(await apiStatus(secret)).toBe(401);
  expect(dms()).toHaveLength(0);
  const trail = await h.t.db.read((em) => em.execute(`select actor from audit_events where action = 'api_token.revoked' and subject_id = 'erp-chat'`));
  expect(trail).toEqual([{ actor: 'user:root' }]);
});

test('the Chinese alias (/pay 令牌 …), in Chinese, and revoke by the id that list shows', async () => {
  await h.t.db.read((em) => em.execute(`update users set locale = 'zh-CN' where handle = 'root'`));
  try {
    const created = await slash('U_root', `令牌 创建 erp-zh 范围 balances:read 过期 ${addDays(today(), 365)}`);
    expect(created.text).toContain('已创建令牌 erp-zh');
    const secret = SECRET_RE.exec(JSON.stringify(dms()[0].args))![0];
    expect(JSON.stringify(dms()[0].args)).toContain('请立即复制密钥');
    expect((await fetch(`${api.base}/api/v1/accounts`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    const [{ id }] = await h.t.db.read((em) => em.execute(`select id from api_tokens where name = 'erp-zh'`));
    const revoked = await slash('U_root', `令牌 吊销 ${id}`);
    expect(revoked.text).toContain('令牌 erp-zh 已吊销');
    expect((await fetch(`${api.base}/api/v1/accounts`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);
  } finally {
    await h.t.db.read((em) => em.execute(`update users set locale = 'en' where handle = 'root'`));
  }
});

test('refusals: a non-admin, an unknown scope, a past expiry — each clear, nothing stored, no DM', async () => {
  const count = async () => Number((await h.t.db.read((em) => em.execute(`select count(*) as n from api_tokens`)))[0].n);
  const before = await count();
  const byRequester = await slash('U_rita', 'token create sneaky scopes payments:read');
  expect(byRequester.text).toContain('Only an admin can manage API tokens.');
  const byApprover = await slash('U_adam', 'token list');
  expect(byApprover.text).toContain('Only an admin can manage API tokens.');
  const unknown = await slash('U_root', 'token create erp-x scopes payments:everything');
  expect(unknown.text).toContain('Unknown scope payments:everything. Scopes: payments:write, payments:read, payments:read:own');
  const yesterday = addDays(today(), -1);
  const past = await slash('U_root', `token create erp-y scopes payments:read expires ${yesterday}`);
  expect(past.text).toContain(`The expiry ${yesterday} is already past.`);
  const noScopes = await slash('U_root', 'token create erp-z');
  expect(noScopes.text).toContain('at least one scope');
  expect(await count()).toBe(before);
  expect(dms()).toHaveLength(0);
});

test('when the DM cannot be sent the new token is revoked at once and the admin is told', async () => {
  h.fake.failNext('chat.postMessage', 1, 'channel_not_found');
  const r = await slash('U_root', 'token create erp-nodm scopes payments:read');
  expect(r.text).toContain('could not be sent, so token erp-nodm was revoked');
  expect(r.text).not.toMatch(SECRET_RE);
  const [row] = await tokenRows('erp-nodm');
  expect(row.revoked_at).not.toBeNull();
});

/**
 * What a newcomer types first, on the demo company that `npm start` loads, through
 * the composition root (startApp): every example `/pay help` and `/付款 帮助` print,
 * for every person of the demo in both languages, succeeds; the Chinese request
 * without spaces makes the same payment as the spaced English form; a stranger is
 * told exactly what to ask, and an admin links them from chat.
 */
import { randomUUID } from 'node:crypto';
import type { Reply } from '../../commands/view/view';
import { examplesIn } from '../../commands/views/help.view';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { freePort } from '../support/reliability-process';
import { createTestDb, TestDb } from '../support/test-db';

let t: TestDb;
let app: RunningApp;
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin'];

beforeAll(async () => {
  t = await createTestDb();
  const config = loadConfig({
    DATABASE_URL: t.url, PORT: String(await freePort()), HOST: '127.0.0.1', PLAYGROUND: 'on', PAYDESK_DEMO: 'on',
    SANDBOX_SETTLE_DELAY_MS: '0', DEFAULT_LOCALE: 'en', LOG_LEVEL: 'silent',
  });
  app = await startApp(config, createLogger({ level: 'silent' }), { schedulerLockLifetimeMs: 2_000 });
}, 60_000);
afterAll(async () => {
  await app?.stop();
  await t.drop();
});

const say = (who: string, text: string, platform: 'web' | 'slack' | 'feishu' = 'web'): Promise<Reply> =>
  app.chat.commands.handleText({ actor: { platform, platformUserId: who }, text });
const setLocale = (handle: string, locale: string) => t.db.read((em) => em.execute(`update users set locale = ? where handle = ?`, [locale, handle]));
const failed = (r: Reply) => r.view.kind === 'message' && (r.view.tone === 'warning' || r.view.tone === 'danger');

test.each(['en', 'zh-CN'])('every example that help prints succeeds for every demo person (%s)', async (locale) => {
  const seen = new Set<string>();
  for (const who of PEOPLE) {
    await setLocale(who, locale);
    for (const help of ['/pay help', '/付款 帮助']) {
      const r = await say(who, help);
      if (r.view.kind !== 'message') throw new Error('help is a message');
      const examples = examplesIn(r.view);
      expect(examples.length).toBeGreaterThan(2);
      for (const example of examples) {
        const answer = await say(who, example);
        if (failed(answer)) throw new Error(`${who} (${locale}): ${example} → ${JSON.stringify(answer.view)}`);
        seen.add(example);
      }
    }
  }
  // Requesters, approvers and the admin each saw their own section's examples.
  expect([...seen].some((e) => /新建|new/.test(e))).toBe(true);
  expect([...seen].some((e) => /todo|待我审批/.test(e))).toBe(true);
  expect([...seen].some((e) => /holidays|节假日/.test(e))).toBe(true);
}, 60_000);

test('help lists every command for each role, and only what that role may do', async () => {
  await setLocale('alice', 'en');
  await setLocale('dave', 'en');
  const text = async (who: string) => {
    const r = await say(who, '/pay help');
    return r.view.kind === 'message' ? [r.view.text, ...(r.view.detail ?? [])].join('\n') : '';
  };
  const alice = await text('alice');
  for (const word of ['/pay new', '/pay show', '/pay list', '/pay cancel', '/balance', '/pay schedule new', '/pay alerts', '/pay whoami'])
    expect(alice).toContain(word);
  expect(alice).not.toContain('/pay approve');
  expect(alice).not.toContain('/pay link');
  const dave = await text('dave');
  expect(dave).toContain('/pay link');
  expect(dave).toContain('/pay holidays');
});

test('the Chinese request without spaces makes the same payment as the spaced English form', async () => {
  const read = async (r: Reply) => {
    if (r.view.kind !== 'card') throw new Error(JSON.stringify(r.view));
    const ref = /PAY-\d{4}-\d{6}/.exec(r.view.title)![0];
    return (await t.db.read((em) => em.execute(
      `select amount_minor, currency, purpose, payee_id, debtor_account_id, requester_id from payments where reference = ?`, [ref])))[0];
  };
  const zh = await read(await say('alice', '/付款 新建 5000元给阿克米用途货款从招行'));
  for (const other of ['/pay new ¥5,000 to acme for 货款 from cmb', '/付款 新建 给 阿克米 5000元 用途 货款 从 招行', '/付款 新建 用途货款从招行给阿克米5000元'])
    expect(await read(await say('alice', other))).toEqual(zh);
  expect(zh).toMatchObject({ amount_minor: '500000', currency: 'CNY', purpose: '货款' });
});

test('a stranger is told their id and the exact command; an admin links them from chat; whoami confirms', async () => {
  const stranger = `U0NEW${randomUUID().slice(0, 6).toUpperCase().replace(/-/g, '')}`;
  const r = await say(stranger, '/pay list', 'slack');
  expect(r.view.kind === 'message' && r.view.text).toBe(
    `Your Slack account (${stranger}) is not linked to anyone in paydesk. Ask a paydesk admin to type: /pay link <@${stranger}> <handle>`,
  );
  const zh = await say(stranger, '/付款 列表', 'slack');
  expect(zh.view.kind === 'message' && zh.view.text).toContain(`/付款 绑定 <@${stranger}> <用户名>`);
  // Not an admin: refused. The admin, with Slack's escaped mention: linked and audited.
  expect((await say('alice', `/pay link <@${stranger}|newbie> bob`)).view).toMatchObject({ text: 'Only an admin can link chat accounts.' });
  const linked = await say('dave', `/pay link <@${stranger}|newbie> bob`);
  expect(linked.view).toMatchObject({ tone: 'good', text: `Linked ${stranger} to Bob Miller (bob), replacing U0BOB.` });
  await setLocale('bob', 'en');
  const me = await say(stranger, '/pay whoami', 'slack');
  expect(me.view.kind === 'message' && me.view.text).toBe('You are Bob Miller (bob)');
  const audit = await t.db.read((em) => em.execute(`select actor, data from audit_events where action = 'directory.user.linked' order by seq desc limit 1`));
  expect(audit[0]).toMatchObject({ actor: 'user:dave', data: { handle: 'bob', platform: 'slack', slackUserId: { from: 'U0BOB', to: stranger } } });
  // The setup code: a stranger with the wrong code stays a stranger; the right code works once.
  const other = 'U0OPERATOR';
  expect((await say(other, '/pay link me dave wrongcode', 'slack')).view).toMatchObject({ tone: 'warning' });
  const command = app.chat.commands.setupCode.command('slack')!;
  const code = command.split(' ').at(-1)!;
  expect((await say(other, `/pay link me carol ${code}`, 'slack')).view).toMatchObject({ tone: 'good' });
  expect((await say('U0SECOND', `/pay link me erin ${code}`, 'slack')).view).toMatchObject({ tone: 'warning' });
  expect(app.chat.commands.setupCode.command('slack')).toBeUndefined();
});

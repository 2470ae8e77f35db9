/**
 * The playground in a real headless Chromium on the demo company: a requester
 * asks for ¥500,000 (two approvals, one by a treasurer), two people approve by
 * tapping, and the card everybody watches settles in place.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { PlaygroundHarness, startPlaygroundHarness } from '../support/playground-harness';

const root = path.resolve(__dirname, '../..');
const outDir = path.join(root, 'test-output');

let h: PlaygroundHarness;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  h = await startPlaygroundHarness();
  // Never a silent skip: launchChromium fails with one line saying what to install.
  const launched = await launchChromium();
  browser = launched.browser;
  process.stdout.write(`playground e2e: browser ${launched.source}\n`);
  // Cards print times in the treasury's zone (Asia/Shanghai); the chat clock should agree in the pictures.
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, timezoneId: 'Asia/Shanghai' });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await h?.stop();
});


async function open(as: string): Promise<Page> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(`${h.url}/?as=${as}`);
  await page.locator('#live[data-state="up"]').waitFor();
  return page;
}
const problemsOf = (p: Page) => (p as Page & { problems: string[] }).problems;

async function actAs(page: Page, handle: string, channel: string) {
  await page.selectOption('#as', handle);
  await page.locator('#live[data-state="up"]').waitFor();
  await page.locator(`.nav__item[data-channel="${channel}"]`).click();
}

const cardIn = (page: Page, key: string) => page.locator(`.msg .pd-card[data-key="${key}"]`);

/** Waits until the element reads exactly `text` (cards change live, so a single read could be early). */
const shows = (loc: Locator, text: string) => loc.filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).waitFor();

test('request, two approvals by tapping, and the card settles live for everyone watching', async () => {
  // Alice (requester) reads paydesk in Chinese; the page follows her language.
  const page = await open('alice');
  await shows(page.locator('.switcher__label'), '当前身份');
  expect(await page.locator('#as option:checked').textContent()).toBe('王爱丽 (Alice Wang) (申请人)');

  // A second window, left alone on #approvals in English, must see every change without reloading.
  const watcher = await open('dave');
  await watcher.locator('.nav__item[data-channel="#approvals"]').click();

  // Above ¥200,000: two approvals, one by a treasurer.
  await page.fill('#text', '/pay new ¥500,000 to acme for invoice 42 from cmb');
  await page.press('#text', 'Enter');
  const mine = page.locator('.msg--private .pd-card', { hasText: 'invoice 42' });
  await mine.waitFor();
  const key = (await mine.getAttribute('data-key'))!;
  expect(key).toMatch(/^payment:/);
  await shows(mine.locator('.pd-badge'), '待审批');
  await shows(mine.locator('.pd-amount__capital'), '伍拾万元整');
  await shows(cardIn(watcher, key).locator('.pd-badge'), 'Pending approval');

  await actAs(page, 'erin', '#approvals');
  await cardIn(page, key).locator('button[data-action-id="payment.approve"]').click();
  await cardIn(page, key).locator('.pd-context', { hasText: '周以琳 (Erin Zhou) 已批准' }).waitFor();
  await shows(cardIn(page, key).locator('.pd-badge'), '待审批'); // still needs the treasurer

  // Carol, the treasurer, approves from her direct messages.
  await actAs(page, 'carol', 'dm:carol');
  await cardIn(page, key).locator('button[data-action-id="payment.approve"]').click();
  await page.locator('.nav__item[data-channel="#approvals"]').click();
  await cardIn(page, key).locator('.pd-badge[data-status="ACSC"]').waitFor({ timeout: 15_000 });
  await shows(cardIn(page, key).locator('.pd-badge'), '已到账');
  expect(await cardIn(page, key).locator('button').count()).toBe(0); // nothing left to decide

  await cardIn(watcher, key).locator('.pd-badge[data-status="ACSC"]').waitFor({ timeout: 15_000 });
  await shows(cardIn(watcher, key).locator('.pd-badge'), 'Settled');

  expect([...problemsOf(page), ...problemsOf(watcher)]).toEqual([]);
  expect(h.errors).toEqual([]);
}, 60_000);

test('reject asks for a reason first, and the reason is shown as text', async () => {
  const page = await open('alice');
  await page.fill('#text', '/pay new ¥30,000 to acme for invoice 77 from cmb');
  await page.press('#text', 'Enter');
  const created = page.locator('.msg--private .pd-card', { hasText: 'invoice 77' });
  await created.waitFor();
  const key = (await created.getAttribute('data-key'))!;

  await actAs(page, 'bob', '#approvals');
  await shows(page.locator('.switcher__label'), 'Acting as');
  const card = cardIn(page, key);
  await shows(card.locator('.pd-badge'), 'Pending approval');

  await card.locator('button[data-action-id="payment.reject"]').click();
  const dialog = page.locator('#reason');
  await dialog.waitFor({ state: 'visible' });
  expect(await page.locator('#reason-submit').isDisabled()).toBe(true); // no reason, no rejection
  await page.locator('#reason-cancel').click();
  await dialog.waitFor({ state: 'hidden' });
  await shows(card.locator('.pd-badge'), 'Pending approval'); // cancelling sent nothing

  await card.locator('button[data-action-id="payment.reject"]').click();
  await page.fill('#reason-input', 'Duplicate of <b>invoice 42</b>');
  await page.locator('#reason-submit').click();
  await card.locator('.pd-badge[data-status="RJCT"]').waitFor();
  await shows(card.locator('.pd-badge'), 'Rejected');
  expect(await card.locator('.pd-context').innerText()).toContain('Duplicate of <b>invoice 42</b>'); // text, not markup
  expect(problemsOf(page)).toEqual([]);
}, 60_000);

test('a screenshot of the approvals channel for the README', async () => {
  const page = await open('bob');
  await page.setViewportSize({ width: 1280, height: 980 }); // room for both cards
  await page.locator('.nav__item[data-channel="#approvals"]').click();
  await page.locator('.pd-badge[data-status="RJCT"]').waitFor();
  mkdirSync(outDir, { recursive: true });
  const shot = path.join(outDir, 'playground.png');
  await page.screenshot({ path: shot });
  // The README picture changes only when asked, so test runs leave the working tree alone.
  if (process.env.UPDATE_DOCS_SCREENSHOT === '1') copyFileSync(shot, path.join(root, 'docs/playground.png'));
  expect(problemsOf(page)).toEqual([]);
});

/**
 * Chinese `/付款 新建` as people type it: no spaces, any clause order. 10,000+
 * generated commands per property: every clause order with or without spaces
 * reads as the same command as the spaced English form, and keyword soup
 * (clause words, CJK text, digits, quotes) never crashes and always gets a
 * well-formed answer in both languages.
 */
import fc from 'fast-check';
import '../../commands/command.messages';
import type { ParseResult } from '../../commands/parse/command.schema';
import { parseCommand } from '../../commands/parse/parse-command';
import { hasMessage } from '../../src/domain/i18n';

const RUNS = 10_000;

// Names and purposes as people write them; none contains a clause word or ends in a digit.
const payee = fc.constantFrom('阿克米', '华信', '顺达物流', 'acme', 'Globex 公司');
const purpose = fc.constantFrom('货款', '发票四十二号', '办公室租金', '设备定金', 'invoice 7', '十二月服务费');
const account = fc.constantFrom('招行', '工资户', 'cmb', '招行美元');
const amount = fc.constantFrom(
  { zh: '5000元', en: '¥5000', minor: 500_000n, currency: 'CNY' },
  { zh: '1.2万元', en: 'CNY 12,000', minor: 1_200_000n, currency: 'CNY' },
  { zh: '¥800', en: '800 CNY', minor: 80_000n, currency: 'CNY' },
  { zh: '50万元', en: 'CNY 500000', minor: 50_000_000n, currency: 'CNY' },
  { zh: '12.50美元', en: 'USD 12.50', minor: 1_250n, currency: 'USD' },
);
const date = fc.constantFrom('2099-01-31', '2099-12-01');
const gap = fc.constantFrom('', ' ', '\u3000', '  ');

type Part = { key: 'to' | 'for' | 'from' | 'on'; zh: string; value: string };

const request = fc
  .record({
    amount, payee, purpose,
    account: fc.option(account, { nil: undefined }),
    date: fc.option(date, { nil: undefined }),
    toWord: fc.constantFrom('给', '付给'),
    forWord: fc.constantFrom('用途', '用于'),
    dateWord: fc.constantFrom('日期', '于'),
    order: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    amountAt: fc.nat(),
    gaps: fc.array(gap, { minLength: 12, maxLength: 12 }),
  })
  .map((r) => {
    const parts: Part[] = [
      { key: 'to', zh: r.toWord, value: r.payee },
      { key: 'for', zh: r.forWord, value: r.purpose },
      ...(r.account ? [{ key: 'from' as const, zh: '从', value: r.account }] : []),
      ...(r.date ? [{ key: 'on' as const, zh: r.dateWord, value: r.date }] : []),
    ];
    // Any clause order: sort by generated keys.
    const ordered = parts.map((p, i) => ({ p, k: r.order[i] ?? 0 })).sort((a, b) => a.k - b.k).map((x) => x.p);
    // The amount goes first, or right after the payee or the account clause.
    const hosts = ordered.map((p, i) => (p.key === 'to' || p.key === 'from' ? i : -1)).filter((i) => i >= 0);
    const slot = r.amountAt % (hosts.length + 1) === 0 ? -1 : hosts[(r.amountAt % (hosts.length + 1)) - 1];
    let g = 0;
    const nextGap = () => r.gaps[g++ % r.gaps.length];
    // A clause word needs a space after an ASCII name (so "acme用途" stays readable either way); CJK glues.
    const join = (a: string, b: string) => a + (/[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b) ? ' ' : nextGap()) + b;
    let text = slot === -1 ? r.amount.zh : '';
    ordered.forEach((p, i) => {
      text = text ? join(text, p.zh) : p.zh;
      text = join(text, p.value);
      // Digits right after an ASCII name would read as part of it ("acme5000"); a space keeps them apart.
      if (i === slot) text += (/[A-Za-z]$/.test(p.value) ? ' ' : nextGap()) + r.amount.zh;
    });
    const english = `/pay new ${r.amount.en} to "${r.payee}" for "${r.purpose}"${r.account ? ` from "${r.account}"` : ''}${r.date ? ` on ${r.date}` : ''}`;
    return { chinese: `/付款${nextGap() || ' '}新建${nextGap()}${text}`, english, r };
  });

const bothLanguages = (code: string) => hasMessage('en', code) && hasMessage('zh-CN', code);
function expectSane(r: ParseResult): void {
  if (r.ok) return;
  expect({ code: r.code, readable: bothLanguages(r.code) && bothLanguages(`USAGE.${r.usage}`) }).toEqual({ code: r.code, readable: true });
}

test('Chinese without spaces, in any clause order, reads as the same command as the spaced English form', () => {
  fc.assert(
    fc.property(request, ({ chinese, english, r }) => {
      const zh = parseCommand(chinese);
      const en = parseCommand(english);
      if (!zh.ok || !en.ok || zh.command.kind !== 'new' || en.command.kind !== 'new') throw new Error(`${chinese} → ${JSON.stringify(zh, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
      expect(zh.command.amount.money).toEqual({ minor: r.amount.minor, currency: r.amount.currency });
      expect(en.command.amount.money).toEqual(zh.command.amount.money);
      expect({ payee: zh.command.payee, purpose: zh.command.purpose, account: zh.command.account, date: zh.command.executionDate }).toEqual({
        payee: en.command.payee, purpose: en.command.purpose, account: en.command.account, date: en.command.executionDate,
      });
      expect(zh.command.payee).toBe(r.payee);
    }),
    { numRuns: RUNS },
  );
});

test('keyword soup (clause words, CJK, digits, quotes, no spaces) never crashes and always answers in both languages', () => {
  const piece = fc.oneof(
    fc.constantFrom('给', '付给', '用途', '用于', '从', '日期', '于', '新建', '付款', '元', '万', '¥', '“', '”', '"', '2099-01-31', '第', '页'),
    fc.constantFrom('阿克米', '招行', '货款', '5000', '1.2', ',', '-', '0', '99999999999999999999', 'acme', 'to', 'for', 'from', 'on'),
    fc.string({ unit: 'grapheme', maxLength: 4 }),
  );
  const soup = fc.tuple(fc.constantFrom('/付款 新建', '/付款新建', '/付款 新建 ', '/pay new', '/付款'), fc.array(piece, { maxLength: 16 }), fc.array(gap, { minLength: 16, maxLength: 16 }))
    .map(([head, ps, gs]) => head + ps.map((p, i) => gs[i] + p).join(''));
  let accepted = 0;
  fc.assert(
    fc.property(soup, (text) => {
      const r = parseCommand(text);
      expectSane(r);
      if (r.ok && r.command.kind === 'new') {
        accepted++;
        expect(r.command.payee.trim()).not.toBe('');
        expect(r.command.purpose.trim()).not.toBe('');
      }
    }),
    { numRuns: RUNS },
  );
  // The soup reached whole requests too, not only refusals.
  expect(accepted).toBeGreaterThan(0);
});

/**
 * The chat command parser against 10,000+ inputs per property, then a few hundred
 * of the same through CommandRouter on a real database: never a crash, every
 * refusal a stable code with a sentence and a usage line in both languages, and
 * a refused command never writes anything.
 */
import fc from 'fast-check';
import '../../commands/command.messages';
import { CommandRouter } from '../../commands/command-router';
import { REFERENCE_PATTERN, type ParseResult } from '../../commands/parse/command.schema';
import { SUB_COMMANDS, TOP_COMMANDS } from '../../commands/parse/keywords';
import { parseCommand } from '../../commands/parse/parse-command';
import { hasMessage } from '../../src/domain/i18n';
import { PURPOSE_MAX } from '../../src/domain/payment/payment';
import { seedFixture } from '../support/fixtures';
import { buildCore, buildRouter, Core, slackActor, tableCounts } from '../support/reliability-world';
import { createTestDb, TestDb } from '../support/test-db';

const RUNS = 10_000;
const KINDS = new Set(['new', 'show', 'list', 'approve', 'reject', 'cancel', 'balance', 'help', 'whoami', 'link']);
const bothLanguages = (code: string) => hasMessage('en', code) && hasMessage('zh-CN', code);

function expectSane(r: ParseResult): void {
  if (!r.ok) {
    expect({ code: r.code, readable: bothLanguages(r.code) }).toEqual({ code: r.code, readable: true });
    expect(bothLanguages(`USAGE.${r.usage}`)).toBe(true);
    return;
  }
  const c = r.command;
  expect(KINDS.has(c.kind)).toBe(true);
  if ('reference' in c) expect(c.reference).toMatch(REFERENCE_PATTERN);
  if (c.kind === 'new') {
    expect(c.purpose.length > 0 && c.purpose.length <= PURPOSE_MAX).toBe(true);
    expect(c.payee.trim()).not.toBe('');
  }
  if (c.kind === 'reject') expect(c.reason.trim()).not.toBe('');
}

// Words from the real vocabulary in both languages, so the fuzzer gets past the first token.
const word = (m: ReadonlyMap<string, unknown>) => fc.constantFrom(...m.keys());
const top = fc.tuple(fc.constantFrom('/', '', '／'), word(TOP_COMMANDS), fc.boolean()).map(([slash, w, upper]) => slash + (upper ? w.toUpperCase() : w));
const arg = fc.oneof(
  fc.constantFrom('to', 'for', 'from', 'on', '给', '用途', '从', '日期', 'page', '第', '页', 'pending', 'mine', 'today', '待审批', 'acme', 'Acme Ltd', '"acme ltd"', '“阿克米”', 'cmb'),
  fc.constantFrom('5,000', '¥500', 'USD 12.50', '1.2万', '3亿', '-5', '0', '1.234,56', '99999999999999999999', '12.345'),
  fc.stringMatching(/^PAY-20\d\d-\d{6,8}$/),
  fc.stringMatching(/^20\d\d-[01]\d-[0-3]\d$/),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const sep = fc.constantFrom(' ', '  ', '\u3000', '\t', '\n');
const freeForm = fc
  .tuple(top, fc.option(word(SUB_COMMANDS), { nil: undefined }), fc.array(arg, { maxLength: 10 }), sep)
  .map(([t, sub, args, s]) => [t, ...(sub ? [sub] : []), ...args].join(s));
// `/pay new <amount> to <payee> for <purpose> [from <account>] [on <date>]` with each part perturbed,
// because free-form word salad almost never forms a whole request.
const maybe = (a: fc.Arbitrary<string>) => fc.oneof(fc.constant(''), a);
const newPayment = fc
  .tuple(
    fc.constantFrom('/pay new', '/付款 新建', '/PAY create', '/pay 创建'),
    fc.oneof(fc.constantFrom('5,000', '¥800', '50000', 'CNY 1.2万', '12.34'), arg), fc.constantFrom('to', '给', 'TO'),
    fc.oneof(fc.constantFrom('acme', 'Acme', 'newco', 'ACME'), arg),
    fc.constantFrom('for', '用途', 'For'), fc.array(arg, { minLength: 1, maxLength: 4 }),
    maybe(fc.tuple(fc.constantFrom('from', '从'), arg).map((p) => p.join(' '))),
    maybe(fc.tuple(fc.constantFrom('on', '日期'), arg).map((p) => p.join(' '))), sep,
  )
  .map(([head, amount, to, payee, forWord, purpose, from, on, s]) => [head, amount, to, payee, forWord, ...purpose, from, on].filter(Boolean).join(s));
// `/pay <show|approve|reject|cancel> <reference> [reason]`, the commands that act on one payment.
const onReference = fc
  .tuple(fc.constantFrom('/pay', '/付款'), fc.constantFrom('show', 'approve', 'reject', 'cancel', '查看', '批准', '驳回', '撤销'),
    fc.oneof(fc.stringMatching(/^PAY-20\d\d-\d{6,8}$/), arg), fc.array(arg, { maxLength: 3 }), sep)
  .map(([head, sub, ref, rest, s]) => [head, sub, ref, ...rest].join(s));
// `/pay link <who> <handle> [code]`: an admin linking someone, or the first admin with the start-up code.
const linking = fc
  .tuple(fc.constantFrom('/pay link', '/付款 绑定', '/PAY LINK'),
    fc.oneof(fc.constantFrom('me', '<@U012ABCDEF>', 'U012ABCDEF', 'ou_7d8a6e6df7621556ce0d21922b676706ccs', '@alice'), arg),
    fc.oneof(fc.constantFrom('alice', 'bob', '@carol'), arg), maybe(fc.constantFrom('123456', 'ABCD-1234')), sep)
  .map(([head, who, handle, code, s]) => [head, who, handle, code].filter(Boolean).join(s));
// A command word with nothing after it (`/pay whoami`, `/pay list`): rare in the word salad above.
const bare = fc.tuple(top, word(SUB_COMMANDS), sep).map(([t, sub, s]) => [t, sub].join(s));
const commandLike = fc.oneof(freeForm, newPayment, onReference, linking, bare);

test('arbitrary text (any Unicode, any length) never crashes the parser and always gets a clear answer', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => `/pay ${s}`), fc.string({ minLength: 990, maxLength: 1100 })), (text) => {
      expectSane(parseCommand(text));
    }),
    { numRuns: RUNS },
  );
});

test('command-shaped text from the real vocabulary never crashes and every outcome is well-formed', () => {
  const kinds = new Set<string>();
  fc.assert(
    fc.property(commandLike, (text) => {
      const r = parseCommand(text);
      expectSane(r);
      kinds.add(r.ok ? r.command.kind : 'refused');
    }),
    { numRuns: RUNS },
  );
  // Every command kind was reached, so the properties above covered every branch of the grammar.
  expect([...kinds].sort()).toEqual([...KINDS, 'refused'].sort());
});

describe('through the router, on a real database', () => {
  let t: TestDb;
  let core: Core;
  let router: CommandRouter;
  beforeAll(async () => {
    t = await createTestDb();
    await seedFixture(t.db);
    core = buildCore(t.db);
    router = buildRouter(t.db, core);
  });
  afterAll(async () => {
    await core.events.settle();
    await t.drop();
  });

  test('a refused command writes nothing; a command that wrote answered with a card', async () => {
    const outcomes = new Set<string>();
    await fc.assert(
      // Weighted towards whole requests: word salad alone rarely writes anything.
      fc.asyncProperty(fc.oneof({ arbitrary: newPayment, weight: 2 }, { arbitrary: commandLike, weight: 1 }), fc.constantFrom('rita', 'adam', 'tess', 'nobody'), async (text, who) => {
        const before = await tableCounts(t.db);
        const reply = await router.handleText({ actor: slackActor(who), text });
        const after = await tableCounts(t.db);
        if (reply.view.kind === 'message') expect(after).toEqual(before);
        const wrote = JSON.stringify(after) !== JSON.stringify(before);
        if (wrote) expect(reply.view.kind).toBe('card');
        outcomes.add(wrote ? 'wrote' : reply.view.kind === 'message' ? 'refused' : 'read');
      }),
      // Known cases first, so both outcomes are always seen whatever the seed draws.
      { numRuns: 500, examples: [['/pay new 5,000 to acme for invoice 1 from cmb', 'rita'], ['/pay approve PAY-2026-999999', 'nobody']] },
    );
    // Both paths were taken: some commands created payments, some were refused.
    expect(outcomes.has('wrote') && outcomes.has('refused')).toBe(true);
  }, 60_000);
});

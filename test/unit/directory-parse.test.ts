import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDirectoryFile } from '../../src/services/directory/load-directory';
import { formatDirectoryProblem } from '../../src/services/directory/directory.errors';

const DEMO = path.join(__dirname, '../../demo/demo-company.yaml');

// Line numbers below refer to this file; keep one field per line so each case can name its line.
const BASE = [
  /*  1 */ 'company: { name: Test Co }',
  /*  2 */ 'users:',
  /*  3 */ '  - handle: ann',
  /*  4 */ '    name: Ann',
  /*  5 */ '    roles: [admin, treasurer]',
  /*  6 */ '    locale: en',
  /*  7 */ '    approvalLimits: { CNY: "1,000,000" }',
  /*  8 */ '  - handle: ben',
  /*  9 */ '    name: Ben',
  /* 10 */ '    roles: [approver]',
  /* 11 */ '    locale: zh-CN',
  /* 12 */ '    approvalLimits: { CNY: "100,000" }',
  /* 13 */ 'accounts:',
  /* 14 */ '  - code: main',
  /* 15 */ '    name: Main',
  /* 16 */ '    bank: CMB',
  /* 17 */ '    number: "6226090000001234"',
  /* 18 */ '    currency: CNY',
  /* 19 */ '    openingBalance: "1,000,000"',
  /* 20 */ 'approvalPolicy:',
  /* 21 */ '  CNY:',
  /* 22 */ '    - { upTo: "10,000", approvals: 1, roles: [approver, treasurer] }',
  /* 23 */ '    - { approvals: 2, roles: [approver, treasurer], requireRole: treasurer }',
];

/** BASE with 1-based lines replaced (a string with "\n" inserts extra lines). */
function variant(changes: Record<number, string>): string {
  return BASE.map((l, i) => changes[i + 1] ?? l).join('\n') + '\n';
}

function refused(text: string) {
  const r = parseDirectoryFile(text, 'test.yaml');
  if (r.ok) throw new Error('expected the file to be refused');
  return r;
}

test('the demo company parses', () => {
  const r = parseDirectoryFile(readFileSync(DEMO, 'utf8'), 'demo-company.yaml');
  if (!r.ok) throw new Error(r.problems.map(formatDirectoryProblem).join('\n'));
  const d = r.value;
  expect(d.users.map((u) => u.handle)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
  expect(new Set(d.users.flatMap((u) => u.roles))).toEqual(new Set(['requester', 'approver', 'treasurer', 'admin']));
  expect(d.users.find((u) => u.handle === 'bob')!.approvalLimits).toEqual({ CNY: 20_000_000n, USD: 3_000_000n });
  expect(d.accounts).toHaveLength(3);
  expect(new Set(d.accounts.map((a) => a.currency))).toEqual(new Set(['CNY', 'USD']));
  expect(d.accounts[0].openingBalance).toEqual({ minor: 500_000_000n, currency: 'CNY' });
  expect(d.payees).toHaveLength(5);
  expect(d.payees.filter((p) => !p.verified && p.coolingOffDays > 0)).toHaveLength(1);
  expect(d.policies.map((p) => p.currency)).toEqual(['CNY', 'USD']);
  expect(d.policies[1].tiers[0]).toEqual({ upTo: 150_000n, approvals: 0, roles: ['approver', 'treasurer'], autoApprove: true });
  expect(d.alertRoutes).toContainEqual({ kind: '*', minSeverity: 'low', platform: 'web', channel: '#alerts' });
});

test('the base file of these tests is itself valid', () => {
  expect(parseDirectoryFile(variant({}), 'test.yaml').ok).toBe(true);
});

test.each([
  ['bad YAML syntax (unclosed quote)', { 17: '    number: "6226090000001234' }, 17, 'yaml', /quote/i],
  ['a duplicate key in one mapping', { 16: '    bank: CMB\n    bank: ICBC' }, 17, 'yaml', /unique/i],
  ['an unknown role', { 10: '    roles: [approver, aprover]' }, 10, 'users.1.roles.1', /one of: requester, approver/],
  ['an amount with ambiguous separators', { 12: '    approvalLimits: { CNY: "1.234,56" }' }, 12, 'users.1.approvalLimits.CNY', /separators/],
  ['an amount in another currency', { 12: '    approvalLimits: { CNY: "USD 100" }' }, 12, 'users.1.approvalLimits.CNY', /in USD/],
  ['a negative opening balance', { 19: '    openingBalance: "-5"' }, 19, 'accounts.0.openingBalance', /positive/],
  ['a duplicate handle', { 8: '  - handle: ann' }, 8, 'users.1.handle', /"ann" is used twice \(first on line 3\)/],
  ['tiers out of ascending order', { 22: '    - { upTo: "10,000", approvals: 1, roles: [approver] }\n    - { upTo: "5,000", approvals: 1, roles: [approver] }' }, 23, 'approvalPolicy.CNY.1.upTo', /above the previous/],
  ['an unknown currency', { 18: '    currency: XYZ' }, 18, 'accounts.0.currency', /not a currency/],
  ['an unknown policy currency', { 21: '  ABC:' }, 18, 'accounts.0.currency', /no CNY tiers/],
  ['no admin', { 5: '    roles: [treasurer]' }, 2, 'users', /admin/],
  ['an account currency without a policy', { 18: '    currency: USD' }, 18, 'accounts.0.currency', /approvalPolicy has no USD/],
  ['a misspelt field', { 15: '    nmae: Main' }, 14, 'accounts.0.name', /required/],
  ['an unquoted account number', { 17: '    number: 6226090000001234' }, 17, 'accounts.0.number', /quotes/],
  ['a band nobody can approve', { 12: '    approvalLimits: { CNY: "5,000" }' }, 23, 'approvalPolicy.CNY.1.approvals', /needs 2 approvals, but only 1/],
  ['a bad locale', { 11: '    locale: zh' }, 11, 'users.1.locale', /en, zh-CN/],
  ['a clashing alias', { 19: '    openingBalance: "1"\n  - { code: b, name: B, bank: X, number: "12345", currency: CNY, openingBalance: "1", aliases: [MAIN] }' }, 20, 'accounts.1.aliases.0', /first on line 14/],
])('refuses %s with its line and field', (_name, changes, line, field, problem) => {
  const r = refused(variant(changes));
  expect(r.code).toBe('DIRECTORY.INVALID');
  expect(r.params).toEqual({ file: 'test.yaml', line, field, problem: expect.stringMatching(problem) });
  expect(r.problems[0]).toEqual(r.params);
});

test('reports every problem, in line order, not only the first', () => {
  const r = refused(variant({ 10: '    roles: [approver, aprover]', 15: '    nmae: Main', 6: '    locale: fr' }));
  expect(r.problems.map((p) => [p.line, p.field])).toEqual([
    [6, 'users.0.locale'],
    [10, 'users.1.roles.1'],
    [14, 'accounts.0.name'],
    [15, 'accounts.0.nmae'],
  ]);
  expect(formatDirectoryProblem(r.problems[1])).toMatch(/^test\.yaml:10: users\.1\.roles\.1: must be one of/);
});

test('an empty file is refused on line 1', () => {
  expect(refused('').params).toMatchObject({ line: 1, problem: 'the file is empty' });
  expect(refused('# only a comment\n').params).toMatchObject({ line: 1, problem: 'the file is empty' });
});

test('a zero opening balance is allowed, a zero limit is not', () => {
  expect(parseDirectoryFile(variant({ 19: '    openingBalance: "0"' }), 't').ok).toBe(true);
  expect(refused(variant({ 12: '    approvalLimits: { CNY: "0" }' })).params.field).toBe('users.1.approvalLimits.CNY');
});

test('amounts may be unquoted numbers and use Chinese multipliers', () => {
  const r = parseDirectoryFile(variant({ 7: '    approvalLimits: { CNY: 1000000 }', 19: '    openingBalance: 1.5万' }), 't');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  expect(r.value.users[0].approvalLimits.CNY).toBe(100_000_000n);
  expect(r.value.accounts[0].openingBalance.minor).toBe(1_500_000n);  expect(refused(variant({ 19: '    openingBalance: 1500.50' })).params).toMatchObject({
    line: 19,
    field: 'accounts.0.openingBalance',
    problem: expect.stringMatching(/quotes/),
  });
});

test('x- keys hold YAML anchors that entries merge in', () => {
  const text = variant({ 1: 'company: { name: Test Co }\nx-bank: &cmb { bank: CMB, bic: CMBCCNBS }', 16: '    <<: *cmb' });
  const r = parseDirectoryFile(text, 't');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  expect(r.value.accounts[0]).toMatchObject({ bankName: 'CMB', bankBic: 'CMBCCNBS' });
  expect(refused(text.replace('x-bank', 'xbank')).params).toMatchObject({ line: 2, field: 'xbank' });
});

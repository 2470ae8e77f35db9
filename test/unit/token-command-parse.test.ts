import { parseTokenCommand } from '../../commands/tokens/parse-token-command';

const TODAY = '2026-12-08';
const parse = (s: string) => parseTokenCommand(s, TODAY);

describe('/pay token (/付款 令牌)', () => {
  test('list, in both languages and bare', () => {
    for (const s of ['', 'list', '列表']) expect(parse(s)).toEqual({ ok: true, command: { kind: 'list' } });
  });

  test('create: scopes separated by commas, Chinese commas or spaces; the scopes keyword is optional', () => {
    const want = { ok: true, command: { kind: 'create', name: 'erp', scopes: ['payments:write', 'payments:read:own'] } };
    expect(parse('create erp scopes payments:write,payments:read:own')).toEqual(want);
    expect(parse('创建 erp 范围 payments:write，payments:read:own')).toEqual(want);
    expect(parse('new erp payments:write payments:read:own')).toEqual(want);
  });

  test('expiry as a date or a number of days from today', () => {
    expect(parse('create erp scopes payments:read expires 2027-06-30')).toMatchObject({ command: { expires: { date: '2027-06-30' } } });
    expect(parse('create erp scopes payments:read expires 30d')).toMatchObject({ command: { expires: { date: '2027-01-07' } } });
    expect(parse('创建 erp 范围 payments:read 过期 90天')).toMatchObject({ command: { expires: { date: '2027-03-08' } } });
  });

  test('refusals name what is wrong', () => {
    expect(parse('create')).toEqual({ ok: false, code: 'TOKEN.MISSING_NAME' });
    expect(parse('create erp')).toEqual({ ok: false, code: 'TOKEN.MISSING_SCOPES' });
    expect(parse('create erp scopes')).toEqual({ ok: false, code: 'TOKEN.MISSING_SCOPES' });
    expect(parse('create erp scopes payments:read expires soon')).toEqual({ ok: false, code: 'TOKEN.BAD_EXPIRY', params: { value: 'soon' } });
    expect(parse('create erp scopes payments:read expires 2026-12-07')).toEqual({ ok: false, code: 'TOKEN.EXPIRY_PAST', params: { date: '2026-12-07' } });
    expect(parse('revoke')).toEqual({ ok: false, code: 'TOKEN.USAGE' });
    expect(parse('delete erp')).toEqual({ ok: false, code: 'TOKEN.UNKNOWN_SUBCOMMAND', params: { word: 'delete' } });
  });

  test('revoke by name or id', () => {
    expect(parse('revoke erp')).toEqual({ ok: true, command: { kind: 'revoke', target: 'erp' } });
    expect(parse('吊销 0f8e4c1a-1111-4222-8333-944455556666')).toEqual({ ok: true, command: { kind: 'revoke', target: '0f8e4c1a-1111-4222-8333-944455556666' } });
  });
});

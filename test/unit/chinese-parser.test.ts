import { parseCommand } from '../../commands/parse/parse-command';

const fields = (text: string) => {
  const r = parseCommand(text);
  if (!r.ok || r.command.kind !== 'new') return r;
  const c = r.command;
  return { amount: c.amount.money && `${c.amount.money.currency} ${c.amount.money.minor}`, payee: c.payee, purpose: c.purpose, account: c.account, date: c.executionDate };
};

test.each([
  '/付款 新建 5000元给阿克米用途货款从招行',
  '/付款 新建 给 阿克米 5000元 用途 货款 从 招行',
  '/付款 新建 给阿克米5000元用途货款从招行',
  '/付款新建5000元给阿克米用途货款从招行',
  '/付款 新建 用途货款给阿克米5000元从招行',
  '/付款 新建 从招行给阿克米用途货款 5000元',
  '/付款 新建 从招行5000元付给阿克米用于货款',
  '／付款　新建　5000元　给　阿克米　用途　货款　从　招行',
])('%s reads like /pay new ¥5000 to 阿克米 for 货款 from 招行', (text) => {
  expect(fields(text)).toEqual(fields('/pay new ¥5000 to 阿克米 for 货款 from 招行'));
});

test('later clause words stay text, 于/日期 only before a date, and a purpose keeps its digits', () => {
  expect(fields('/付款 新建 5000元给阿克米用途货款给供应商')).toMatchObject({ payee: '阿克米', purpose: '货款给供应商' });
  expect(fields('/付款 新建 5000元给阿克米用途关于发票日期2099-01-31')).toMatchObject({ purpose: '关于发票', date: '2099-01-31' });
  expect(fields('/付款 新建 5000元给阿克米用途货款于 2099-01-31')).toMatchObject({ purpose: '货款', date: '2099-01-31' });
  expect(fields('/付款 新建 给阿克米用途发票42')).toMatchObject({ ok: false, code: 'COMMAND.MISSING_AMOUNT' });
  expect(fields('/付款 新建 5000元给“给力科技”用途货款')).toMatchObject({ payee: '给力科技', purpose: '货款' });
});

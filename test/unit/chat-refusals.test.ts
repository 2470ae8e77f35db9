import '../../commands/command.messages';
import { parseCommand } from '../../commands/parse/parse-command';
import { refusalView } from '../../commands/views/message.view';

test('role codes in refusals read as role words in both languages', () => {
  const r = { code: 'APPROVAL.ROLE_NOT_ALLOWED', params: { roles: 'approver, treasurer' } };
  expect(refusalView('zh-CN', r).text).toBe('只有 审批人或财务主管 可以审批这笔付款。');
  expect(refusalView('en', r).text).toBe('Only approver or treasurer can decide on this payment.');
  expect(refusalView('zh-CN', { code: 'APPROVAL.NEEDS_ROLE', params: { role: 'treasurer' } }).text).toBe('最后一个审批必须由 财务主管 做出。');
});

test('a one-character reject reason is refused by the parser with the domain rule, in the reader language', () => {
  const r = parseCommand('/pay reject PAY-2026-000001 x');
  expect(r).toEqual({ ok: false, code: 'COMMAND.REASON_TOO_SHORT', params: { min: 2 }, usage: 'reject' });
  if (r.ok) return;
  expect(refusalView('zh-CN', r).text).toBe('请写明具体原因（至少 2 个字符），例如：发票重复。');
  expect(parseCommand('/付款 驳回 PAY-2026-000001 重复').ok).toBe(true);
});

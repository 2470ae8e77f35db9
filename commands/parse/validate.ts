import type { z } from 'zod';
import { REJECT_REASON_MIN } from '../../src/domain/approval/approval-rules';
import { PURPOSE_MAX } from '../../src/domain/payment/payment';
import type { Command, ParseResult, UsageKey } from './command.schema';

/**
 * Runs a command schema and turns its first issue into a stable code. The
 * params echo what the user typed, so the message can say what was wrong.
 */
export function validate(schema: z.ZodType<Command>, raw: Record<string, unknown>, usage: UsageKey): ParseResult {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, command: r.data };
  const issue = r.error.issues[0];
  const code = issue.message.startsWith('COMMAND.') || issue.message.startsWith('PAYMENT.') ? issue.message : 'COMMAND.INVALID';
  const params = paramsFor(code, raw);
  return params ? { ok: false, code, params, usage } : { ok: false, code, usage };
}

function paramsFor(code: string, raw: Record<string, unknown>): Record<string, string | number> | undefined {
  const s = (v: unknown) => String(v ?? '');
  switch (code) {
    case 'COMMAND.LINK_BAD_TARGET':
      return { target: s(raw.target) };
    case 'COMMAND.BAD_REF':
      return { ref: s(raw.reference) };
    case 'COMMAND.BAD_DATE':
      return { date: s(raw.executionDate) };
    case 'COMMAND.UNKNOWN_FILTER':
      return { filter: s(raw.filter) };
    case 'COMMAND.BAD_PAGE':
      return { page: s(raw.page) };
    case 'COMMAND.REASON_TOO_SHORT':
      return { min: REJECT_REASON_MIN };
    case 'PAYMENT.PURPOSE_TOO_LONG':
      return { max: PURPOSE_MAX };
    default:
      return undefined;
  }
}

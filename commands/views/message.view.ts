import { isRole } from '../../src/domain/approval/approval-policy';
import type { Locale } from '../../src/domain/locale';
import { isPaymentStatus } from '../../src/domain/payment/payment-status';
import type { Refusal } from '../../src/domain/result';
import { tr } from '../command.messages';
import type { UsageKey } from '../parse/command.schema';
import { MessageView, Tone, message } from '../view/view';
import { roleList } from './format';

/** The one-line usage synopsis of a command, in the reader's language. */
export const usageLine = (locale: Locale, usage: UsageKey): string => `${tr(locale, 'USAGE.LABEL')} ${tr(locale, `USAGE.${usage}`)}`;

/**
 * A refusal as the user reads it: the sentence for its stable code and, for
 * mistakes in typing, the usage line of the command they were attempting.
 */
export function refusalView(locale: Locale, refusal: Pick<Refusal, 'code' | 'params'>, usage?: UsageKey): MessageView {
  const params = { ...refusal.params };
  // Core refusals carry raw statuses ("pending_approval"); people read the status word.
  for (const k of ['status', 'from', 'to'])
    if (typeof params[k] === 'string' && isPaymentStatus(params[k] as string)) params[k] = tr(locale, `STATUS.${params[k]}`);
  // …and role codes ("approver, treasurer") as role words ("审批人或财务主管").
  if (typeof params.role === 'string' && isRole(params.role)) params.role = tr(locale, `ROLE.${params.role}`);
  const roles = typeof params.roles === 'string' ? params.roles.split(/\s*,\s*/) : [];
  if (roles.length && roles.every(isRole)) params.roles = roleList(locale, roles.filter(isRole));
  const text = tr(locale, refusal.code, params);
  return usage ? message('warning', text, [usageLine(locale, usage)]) : message('warning', text);
}

export const infoView = (locale: Locale, tone: Tone, code: string, params?: Record<string, string | number>): MessageView =>
  message(tone, tr(locale, code, params ?? {}));

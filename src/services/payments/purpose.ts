import { BankTextProfile, toBankText } from '../../domain/bank-text';
import { PURPOSE_MAX } from '../../domain/payment/payment';
import { Result, ok, refuse } from '../../domain/result';

/**
 * A payment purpose as people type it, checked once for every door (chat, API,
 * schedules): present, short enough for Ustrd, and carried by the bank's
 * character set. Returns the trimmed text as typed; the gateway writes its
 * bank form (toBankText), which this check has proven exists.
 */
export function checkPurpose(raw: string, profile: BankTextProfile): Result<string> {
  const purpose = raw.trim();
  if (!purpose) return refuse('PAYMENT.PURPOSE_REQUIRED');
  if (purpose.length > PURPOSE_MAX) return refuse('PAYMENT.PURPOSE_TOO_LONG', { max: PURPOSE_MAX });
  const bank = toBankText(purpose, profile, 'purpose');
  if (!bank.ok) return bank;
  // Transliteration can lengthen (ß → ss); the file form must fit too.
  if (bank.value.length > PURPOSE_MAX) return refuse('PAYMENT.PURPOSE_TOO_LONG', { max: PURPOSE_MAX });
  return ok(purpose);
}

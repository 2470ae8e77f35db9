import { AnomalyConfig, AnomalyConfigInput, anomalyConfig } from '../../domain/anomaly/anomaly-config';
import { evaluateAnomalies } from '../../domain/anomaly/anomaly-rules';
import { blockingBeforeSubmit } from '../../domain/anomaly/hold';
import '../../domain/anomaly/anomaly.messages';
import { Payment, PaymentWarning } from '../../domain/payment/payment';
import type { Tx } from '../../persistence/database';
import type { AnomalyCheck, PaymentDraft } from '../payments/create-payment';
import { gatherAnomalyFacts, lockDuplicateKey } from './anomaly-facts.query';
import { mergeAnomalyInputs, monitoringSettingsStore, monitoringToAnomalyInput } from './monitoring-settings';

/**
 * The anomaly check CreatePayment runs inside its transaction, before the
 * payment row exists. CreatePayment spreads its whole input into the draft,
 * so `source` is there at run time even though PaymentDraft does not name it.
 */
export function anomalyCheckFor(config: AnomalyConfigInput = {}): AnomalyCheck {
  return async (em: Tx, draft: PaymentDraft, now: Date): Promise<PaymentWarning[]> => {
    const c = await currentConfig(em, config);
    const { source, scheduleId, idempotencyKey } = draft as PaymentDraft & { source?: string; scheduleId?: string; idempotencyKey?: string };
    // Held until CreatePayment commits: an identical request racing this one waits, then sees this payment.
    await lockDuplicateKey(em, draft);
    const facts = await gatherAnomalyFacts(em, { ...draft, source, scheduleId, idempotencyKey }, now, c);
    return evaluateAnomalies(facts, c);
  };
}

export type PreSubmitVerdict =
  | { block: false }
  | {
      block: true;
      warnings: PaymentWarning[];
      /** For bank_reason: starts with BLOCKED_REASON_PREFIX, then the codes. */
      reason: string;
    };

/**
 * The thresholds as they stand: the process settings, overridden by the
 * directory file's `monitoring:` section (read per check, one indexed row, so
 * an applied file takes effect on every replica at once).
 */
async function currentConfig(em: Tx, base: AnomalyConfigInput): Promise<AnomalyConfig> {
  const file = await monitoringSettingsStore.load(em);
  return anomalyConfig(file ? mergeAnomalyInputs(base, monitoringToAnomalyInput(file)) : base);
}

/** Called by the bank outbox under the payment's row lock, right before the bank call. */
export type PreSubmitCheck = (em: Tx, payment: Payment, now: Date) => Promise<PreSubmitVerdict>;

/** bank_reason of a payment the monitoring stopped; the payment-alert listener raises its alert by this prefix. */
export const BLOCKED_REASON_PREFIX = 'PAYDESK-ANOMALY';

export function preSubmitCheckFor(config: AnomalyConfigInput = {}): PreSubmitCheck {
  return async (em, payment, now) => {
    const c = await currentConfig(em, config);
    // Held through the bank call until the outbox commits: a worker submitting a twin waits, then sees it submitted.
    await lockDuplicateKey(em, payment);
    const facts = await gatherAnomalyFacts(em, payment, now, c, {
      excludePaymentId: payment.id,
      // Money that has gone or is going makes this one a double payment, and so does an
      // approved twin decided earlier: it goes first, whichever worker reaches the bank first.
      duplicateStatuses: ['queued', 'submitted', 'settled'],
      approvedBefore: { at: payment.decidedAt ?? payment.createdAt, id: payment.id },
    });
    const warnings = blockingBeforeSubmit(payment, facts, c);
    if (warnings.length === 0) return { block: false };
    return { block: true, warnings, reason: `${BLOCKED_REASON_PREFIX} ${warnings.map((w) => w.code).join(' ')}` };
  };
}

/** The codes a blocked payment's bank_reason names, or undefined when monitoring did not block it. */
export function blockedCodes(bankReason: string | undefined): string[] | undefined {
  if (!bankReason?.startsWith(`${BLOCKED_REASON_PREFIX} `)) return undefined;
  return bankReason.slice(BLOCKED_REASON_PREFIX.length + 1).split(' ').filter(Boolean);
}

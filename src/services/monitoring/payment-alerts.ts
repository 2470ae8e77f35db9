import { PaymentAlertDetail, alertKeys, storeMoney } from '../../domain/alerts/alert';
import { Severity, severityAtLeast } from '../../domain/alerts/severity';
import { isHeldForTreasurer } from '../../domain/anomaly/hold';
import { Payment, PaymentWarning } from '../../domain/payment/payment';
import type { Database } from '../../persistence/database';
import { directory } from '../../persistence/repositories/directory.repository';
import type { PaymentEvents } from '../events';
import { AlertService } from './alert-service';
import { blockedCodes } from './anomaly-check';

export interface PaymentAlertsOptions {
  /** Warnings at or above this raise an alert (the card shows every warning regardless). */
  minSeverity?: Severity;
}

/**
 * Turns payment events into anomaly alerts: a payment created with a severe
 * warning (it is held for a treasurer), and a payment stopped before submission.
 * The alert about a held payment resolves itself once the payment is decided.
 */
export class PaymentAlerts {
  constructor(
    private readonly db: Database,
    private readonly alerts: AlertService,
    private readonly opts: PaymentAlertsOptions = {},
  ) {}

  /**
   * The durable `payment-alerts` consumer. A redelivery acts once: raising is de-duplicated by the
   * alert's key and resolving an already resolved alert changes nothing.
   */
  subscribe(events: PaymentEvents): () => void {
    return events.subscribe(
      'payment-alerts',
      async (e) => {
        if (e.type === 'payment.created') await this.onCreated(e.payment);
        if (e.type === 'payment.status_changed') await this.onStatusChanged(e.payment, e.from);
      },
      { types: ['payment.created', 'payment.status_changed'] },
    );
  }

  async onCreated(p: Payment): Promise<void> {
    const min = this.opts.minSeverity ?? 'high';
    if (!p.warnings.some((w) => severityAtLeast(w.severity, min))) return;
    const held = p.status === 'pending_approval' && isHeldForTreasurer(p.warnings);
    await this.raise(p, p.warnings, { held }, alertKeys.paymentAnomaly(p.id));
  }

  async onStatusChanged(p: Payment, from: string): Promise<void> {
    if (from === 'pending_approval') {
      const resolved = await this.db.tx((em) => this.alerts.resolveForSubjectIn(em, 'payment', p.id, ['anomaly'], `system:payment:${p.status}`));
      await this.alerts.refresh(resolved);
    }
    const codes = p.status === 'failed' ? blockedCodes(p.bankReason) : undefined;
    if (codes?.length) {
      const warnings: PaymentWarning[] = codes.map((code) => ({ code, severity: 'high' }));
      await this.raise(p, warnings, { held: false, blocked: true }, alertKeys.blockedBeforeSubmit(p.id));
    }
  }

  private async raise(p: Payment, warnings: PaymentWarning[], flags: { held: boolean; blocked?: boolean }, key: string): Promise<void> {
    const [payee, account] = await this.db.read((em) => Promise.all([directory.payee(em, p.payeeId), directory.account(em, p.debtorAccountId)]));
    const detail: PaymentAlertDetail = {
      paymentId: p.id,
      reference: p.reference,
      amount: storeMoney(p.amount),
      payee: payee?.name ?? p.payeeId,
      account: account?.name ?? p.debtorAccountId,
      warnings,
      ...flags,
    };
    const severity = warnings.some((w) => w.severity === 'high') ? 'high' : warnings.some((w) => w.severity === 'medium') ? 'medium' : 'low';
    const what = flags.blocked ? 'stopped before submission' : flags.held ? 'held for a treasurer' : 'flagged';
    await this.alerts.raise({
      kind: 'anomaly',
      severity,
      subjectType: 'payment',
      subjectId: p.id,
      dedupeKey: key,
      title: `${p.reference} ${what}: ${warnings.map((w) => w.code).join(', ')}`,
      detail: detail as unknown as Record<string, unknown>,
    });
  }
}

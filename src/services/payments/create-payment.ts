import { localDateOf } from '../../domain/schedule/calendar';
import { createHash, randomUUID } from 'node:crypto';
import type { BankTextProfile } from '../../domain/bank-text';
import { holdForTreasurer } from '../../domain/anomaly/hold';
import { mayAutoApprove } from '../../domain/approval/approval-rules';
import { isKnownPayee } from '../../domain/directory';
import { Money } from '../../domain/money/money';
import { Payment, PaymentSource, PaymentWarning, endToEndIdFor, formatReference } from '../../domain/payment/payment';
import { Result, ok, refuse } from '../../domain/result';
import type { Database, Tx } from '../../persistence/database';
import { PaymentEntity } from '../../persistence/entities';
import { tierToStored } from '../../persistence/mappers/payment.mapper';
import { appendAudit } from '../audit/audit-log';
import { PaymentEvents } from '../events';
import { resolvePaymentParties } from './payment-parties';
import { checkPurpose } from './purpose';
import { paymentStore } from './payment-store';

export interface CreatePaymentInput {
  source: PaymentSource;
  idempotencyKey?: string;
  debtorAccountId: string;
  payeeId: string;
  amount: Money;
  purpose: string;
  /** The person asking; absent for API tokens and schedules, which act under `actor`. */
  requesterId?: string;
  actor: string;
  executionDate?: string;
  externalRef?: string;
  scheduleId?: string;
  /** Extra fields that must match on an idempotent replay (the REST body, for example). */
  fingerprint?: unknown;
}

export interface PaymentDraft {
  debtorAccountId: string;
  payeeId: string;
  amount: Money;
  purpose: string;
  requesterId?: string;
  externalRef?: string;
}

/** Anomaly rules plug in here; any warning vetoes auto-approval. */
export type AnomalyCheck = (em: Tx, draft: PaymentDraft, now: Date) => Promise<PaymentWarning[]>;

export interface CreatedPayment {
  payment: Payment;
  /** True when the idempotency key matched an earlier request and nothing new was created. */
  replayed: boolean;
  autoApproved: boolean;
}

export class CreatePayment {
  constructor(
    private readonly db: Database,
    private readonly events: PaymentEvents,
    private readonly anomalyCheck: AnomalyCheck = async () => [],
    private readonly clock: () => Date = () => new Date(),
    /** The bank gateway's character set (config.bank.textProfile): refusals reach the person who typed. */
    private readonly bankText: BankTextProfile = 'cnaps',
    /** The business time zone: a payment made at 01:00 on 1 January in Shanghai belongs to the new year. */
    private readonly timeZone: string = 'Asia/Shanghai',
  ) {}

  async execute(input: CreatePaymentInput): Promise<Result<CreatedPayment>> {
    const checked = checkPurpose(input.purpose, this.bankText);
    if (!checked.ok) return checked;
    const purpose = checked.value;
    if (input.amount.minor <= 0n) return refuse('MONEY.ZERO');
    const requestHash = hashRequest(input);

    const result = await this.db.tx(async (em): Promise<Result<CreatedPayment>> => {
      if (input.idempotencyKey) {
        const earlier = await this.replay(em, input, requestHash);
        if (earlier) return earlier;
      }
      const now = this.clock();
      const parties = await resolvePaymentParties(em, input);
      if (!parties.ok) return parties;
      const { account, payee, tier: policyTier } = parties.value;

      const draft: PaymentDraft = { ...input, purpose };
      const warnings = await this.anomalyCheck(em, draft, now);
      // A high-severity warning holds the payment for a treasurer whatever its tier says.
      const tier = holdForTreasurer(policyTier, warnings);
      const auto = mayAutoApprove({ tier, payeeKnown: isKnownPayee(payee, now), warnings });

      const seq = await em.execute(`select nextval('payment_reference_seq') as n`);
      const reference = formatReference(Number(localDateOf(now, this.timeZone).slice(0, 4)), BigInt(seq[0].n));
      // ON CONFLICT makes two racing requests with one key produce one payment.
      const inserted = await em.execute(
        `insert into payments (id, reference, source, idempotency_key, request_hash, debtor_account_id, payee_id,
           amount_minor, currency, purpose, requester_id, requested_by, status, version, tier, warnings, end_to_end_id,
           execution_date, external_ref, schedule_id, submit_attempts, created_at, updated_at, decided_at)
         values (?,?,?,?,?,?,?,?,?,?,?,?,?,1,?::jsonb,?::jsonb,?,?,?,?,0,?,?,?)
         on conflict (source, idempotency_key) do nothing returning id`,
        [
          randomUUID(), reference, input.source, input.idempotencyKey ?? null, requestHash, account.id, payee.id,
          input.amount.minor.toString(), input.amount.currency, purpose, input.requesterId ?? null, input.actor,
          auto ? 'approved' : 'pending_approval', JSON.stringify(tierToStored(tier)), JSON.stringify(warnings),
          endToEndIdFor(reference), input.executionDate ?? null, input.externalRef ?? null, input.scheduleId ?? null,
          now, now, auto ? now : null,
        ],
      );
      if (inserted.length === 0) return (await this.replay(em, input, requestHash))!;
      const payment = (await paymentStore.byId(em, inserted[0].id))!;
      await appendAudit(em, {
        actor: input.actor,
        action: 'payment.created',
        subjectType: 'payment',
        subjectId: payment.reference,
        at: now,
        data: {
          amount: payment.amount.minor, currency: payment.amount.currency, payee: payee.code, account: account.code,
          purpose, source: input.source, tier: tierToStored(tier), warnings: warnings.map((w) => w.code),
          ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
          ...(input.externalRef ? { externalRef: input.externalRef } : {}),
        },
      });
      if (auto)
        await appendAudit(em, {
          actor: 'system:policy', action: 'payment.auto_approved', subjectType: 'payment', subjectId: payment.reference, at: now,
          data: { reason: 'tier allows auto-approval, payee known, no warnings' },
        });
      await this.events.record(em, { type: 'payment.created', payment });
      return ok({ payment, replayed: false, autoApproved: auto });
    });

    return result;
  }

  private async replay(em: Tx, input: CreatePaymentInput, requestHash: string): Promise<Result<CreatedPayment> | undefined> {
    const r = await em.findOne(PaymentEntity, { source: input.source, idempotencyKey: input.idempotencyKey });
    if (!r) return undefined;
    if (r.requestHash !== requestHash) return refuse('PAYMENT.IDEMPOTENCY_CONFLICT', { reference: r.reference });
    const payment = (await paymentStore.byId(em, r.id))!;
    return ok({ payment, replayed: true, autoApproved: false });
  }
}

function hashRequest(i: CreatePaymentInput): string {
  const key = JSON.stringify([
    i.debtorAccountId, i.payeeId, i.amount.minor.toString(), i.amount.currency, i.purpose.trim(),
    i.requesterId ?? null, i.executionDate ?? null, i.externalRef ?? null, i.fingerprint ?? null,
  ]);
  return createHash('sha256').update(key).digest('hex');
}

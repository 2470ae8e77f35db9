import { BigIntType, EntitySchema } from '@mikro-orm/core';

export interface PaymentRecord {
  id: string;
  reference: string;
  source: string;
  idempotencyKey?: string | null;
  /** sha256 of the request that created it, so a reused key with another body is caught. */
  requestHash?: string | null;
  debtorAccountId: string;
  payeeId: string;
  amountMinor: bigint;
  currency: string;
  purpose: string;
  requesterId?: string | null;
  requestedBy: string;
  status: string;
  version: number;
  /** Snapshot of the policy tier at creation: a later policy edit never moves the goalposts. */
  tier: Record<string, unknown>;
  warnings: { code: string; severity: string; detail?: string }[];
  endToEndId: string;
  bankStatus?: string | null;
  bankReason?: string | null;
  executionDate?: string | null;
  externalRef?: string | null;
  scheduleId?: string | null;
  submitAttempts: number;
  createdAt: Date;
  updatedAt: Date;
  decidedAt?: Date | null;
  submittedAt?: Date | null;
  finalAt?: Date | null;
}

export const PaymentEntity = new EntitySchema<PaymentRecord>({
  name: 'PaymentRecord',
  tableName: 'payments',
  uniques: [{ properties: ['source', 'idempotencyKey'], name: 'payments_source_idempotency_key_unique' }],
  checks: [
    { name: 'payments_amount_positive', expression: 'amount_minor > 0' },
    {
      name: 'payments_status_known',
      // A regex rather than IN (…): MikroORM's schema diff mistakes IN-lists for enums.
      expression: "status ~ '^(pending_approval|approved|queued|submitted|settled|failed|rejected|cancelled|expired)$'",
    },
    { name: 'payments_source_known', expression: "source ~ '^(chat|api|schedule|import)$'" },
  ],
  indexes: [
    { properties: ['status', 'createdAt'], name: 'payments_status_created_at_index' },
    { properties: ['payeeId', 'createdAt'], name: 'payments_payee_id_created_at_index' },
    { properties: ['debtorAccountId', 'createdAt'], name: 'payments_debtor_account_id_created_at_index' },
    { properties: ['requesterId', 'createdAt'], name: 'payments_requester_id_created_at_index' },
    { properties: ['createdAt'], name: 'payments_created_at_index' },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    reference: { type: 'text', unique: true },
    source: { type: 'text' },
    idempotencyKey: { type: 'text', nullable: true },
    requestHash: { type: 'text', nullable: true },
    // Relations mapped to plain ids: the foreign keys exist, the domain still sees ids.
    debtorAccountId: { kind: 'm:1', entity: 'BankAccountRecord', mapToPk: true, fieldName: 'debtor_account_id' },
    payeeId: { kind: 'm:1', entity: 'PayeeRecord', mapToPk: true, fieldName: 'payee_id' },
    amountMinor: { type: new BigIntType('bigint') },
    currency: { type: 'character', length: 3 },
    purpose: { type: 'text' },
    requesterId: { kind: 'm:1', entity: 'UserRecord', mapToPk: true, fieldName: 'requester_id', nullable: true },
    requestedBy: { type: 'text' },
    status: { type: 'text' },
    version: { type: 'integer', default: 1 },
    tier: { type: 'json' },
    warnings: { type: 'json' },
    endToEndId: { type: 'text', unique: true },
    bankStatus: { type: 'text', nullable: true },
    bankReason: { type: 'text', nullable: true },
    executionDate: { type: 'date', nullable: true },
    externalRef: { type: 'text', nullable: true, index: true },
    scheduleId: { type: 'uuid', nullable: true, index: true },
    submitAttempts: { type: 'integer', default: 0 },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    decidedAt: { type: 'datetime', nullable: true },
    submittedAt: { type: 'datetime', nullable: true },
    finalAt: { type: 'datetime', nullable: true },
  },
});

/**
 * The REST API's contract, once: these zod schemas validate requests, type the
 * responses, and are turned into the OpenAPI document (openapi.ts), so the docs
 * cannot drift from what the code accepts.
 */
import { z } from 'zod';
import { PAYMENT_STATUSES } from '../../domain/payment/payment-status';
import { API_SCOPES } from '../../services/api-tokens/api-tokens';

/** Schemas that become named components (#/components/schemas/<id>). */
export const apiRegistry = z.registry<{ id: string }>();
const named = <T extends z.ZodType>(id: string, schema: T, description?: string): T => {
  const s = (description ? schema.describe(description) : schema) as T;
  apiRegistry.add(s as z.ZodType, { id });
  return s;
};

const decimal = z.string().regex(/^\d{1,16}(\.\d{1,4})?$/);
const nullableText = z.string().nullable();
const timestamp = z.iso.datetime();

export const CreatePaymentRequest = named(
  'CreatePaymentRequest',
  z
    .object({
      debtor_account: z.string().min(1).max(64).meta({ description: 'Code of the company account to pay from', example: 'cmb-cny-main' }),
      payee: z.string().min(1).max(64).meta({ description: 'Payee code from the directory', example: 'acme' }),
      amount: decimal.meta({ description: 'Exact decimal amount in major units, at most the currency\'s decimals; no grouping', example: '12345.67' }),
      currency: z.string().regex(/^[A-Z]{3}$/).meta({ description: 'ISO 4217 code; must be the debtor account\'s currency', example: 'CNY' }),
      purpose: z.string().min(1).max(140).meta({ description: 'Remittance information sent to the bank', example: 'Invoice INV-2026-0042' }),
      execution_date: z.iso.date().optional().meta({ description: 'Requested execution date (YYYY-MM-DD); today when omitted' }),
      external_ref: z.string().min(1).max(100).optional().meta({ description: 'Your PO / invoice number; searchable with ?external_ref=', example: 'PO-88812' }),
    })
    .strict(),
  'A payment request. It follows the approval policy like any request made in chat.',
);

export const CancelPaymentRequest = named(
  'CancelPaymentRequest',
  z.object({ reason: z.string().min(1).max(500).optional() }).strict(),
);

export const Payment = named(
  'Payment',
  z.object({
    reference: z.string().meta({ example: 'PAY-2026-000123' }),
    status: z.enum(PAYMENT_STATUSES),
    iso_status: z.string().meta({ description: 'ISO 20022 status code of `status` (PDNG, ACTC, ACSP, ACSC, RJCT, CANC)' }),
    amount: decimal,
    currency: z.string(),
    amount_minor: z.string().regex(/^\d+$/).meta({ description: 'The amount in minor units (fen, cents), as a string' }),
    debtor_account: z.string(),
    payee: z.string(),
    purpose: z.string(),
    source: z.enum(['chat', 'api', 'schedule', 'import']),
    requested_by: z.string().meta({ description: 'Audit actor that created it, e.g. api:erp or user:alice' }),
    external_ref: nullableText,
    execution_date: nullableText,
    end_to_end_id: z.string(),
    bank_status: nullableText,
    bank_reason: nullableText,
    approvals_required: z.number().int(),
    warnings: z.array(z.object({ code: z.string(), severity: z.enum(['low', 'medium', 'high']) })),
    created_at: timestamp,
    updated_at: timestamp,
    decided_at: timestamp.nullable(),
    submitted_at: timestamp.nullable(),
    final_at: timestamp.nullable(),
    reconciled_at: timestamp.nullable().meta({ description: 'When a bank statement entry was matched to it' }),
  }),
);

export const ListPaymentsQuery = z
  .object({
    status: z.enum(PAYMENT_STATUSES).optional(),
    since: z.union([z.iso.datetime({ offset: true }), z.iso.date()]).optional().meta({ description: 'Created at or after (date-time or date, UTC)' }),
    external_ref: z.string().min(1).max(100).optional(),
    cursor: z.string().min(1).max(200).optional().meta({ description: 'next_cursor of the previous page' }),
    limit: z.coerce.number().int().min(1).max(200).optional().meta({ description: 'Page size, default 50' }),
  })
  .strict();

export const PaymentPage = named(
  'PaymentPage',
  z.object({ data: z.array(Payment), next_cursor: z.string().nullable() }),
  'Newest first. Pass next_cursor as ?cursor= for the next page; null means this is the last.',
);

export const Account = named(
  'Account',
  z.object({
    code: z.string(),
    name: z.string(),
    bank_name: z.string(),
    account_number_masked: z.string().meta({ example: '**** 1234' }),
    currency: z.string(),
    balance: z.string().regex(/^-?\d+(\.\d+)?$/),
    balance_minor: z.string().regex(/^-?\d+$/),
    balance_as_of: timestamp,
    low_balance_threshold: z.string().nullable(),
  }),
);
export const AccountList = named('AccountList', z.object({ data: z.array(Account) }));

export const AuditVerification = named(
  'AuditVerification',
  z.object({
    intact: z.boolean(),
    checked: z.number().int(),
    last_hash: z.string().optional(),
    broken_at_seq: z.string().optional().meta({ description: 'The first changed event (seq), or for checkpoint_* and unanchored the chain position (chain_seq) of the disagreeing checkpoint' }),
    reason: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'checkpoint_mismatch', 'checkpoint_signature', 'unanchored']).optional(),
  }),
);

export const CreateWebhookRequest = named(
  'CreateWebhookRequest',
  z.object({ url: z.url({ protocol: /^https?$/ }).max(2000).meta({ example: 'https://erp.example.com/paydesk/webhook' }) }).strict(),
);
export const Webhook = named(
  'Webhook',
  z.object({ id: z.uuid(), url: z.string(), created_at: timestamp, active: z.boolean() }),
);
export const WebhookCreated = named(
  'WebhookCreated',
  Webhook.extend({ secret: z.string().meta({ description: 'HMAC-SHA256 signing secret; shown only in this response' }) }),
);
export const WebhookList = named('WebhookList', z.object({ data: z.array(Webhook) }));

export const ApiErrorBody = named(
  'Error',
  z.object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code, e.g. PAYMENT.IDEMPOTENCY_CONFLICT', example: 'AUTH.SCOPE_MISSING' }),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  }),
);

export const SCOPES = API_SCOPES;
export type PaymentJson = z.infer<typeof Payment>;
export type AccountJson = z.infer<typeof Account>;

import { fromDecimalString } from '../../domain/money/money';
import { BankAccountEntity, PayeeEntity } from '../../persistence/entities';
import { ApiToken, apiActor, paymentReadReach } from '../../services/api-tokens/api-tokens';
import { cancelApiPayment } from '../../services/api-tokens/cancel-api-payment';
import { ApiError, fromRefusal } from './api-errors';
import { defineRoute, type Reply, type Route } from './api-route';
import { ApiErrorBody, CancelPaymentRequest, CreatePaymentRequest, ListPaymentsQuery, Payment, PaymentPage } from './api.schemas';
import { paymentQuery } from './payment-query';

// Visible ASCII only, so a key survives proxies and logs unchanged.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const err = (description: string) => ({ description, schema: ApiErrorBody });

const createPayment = defineRoute({
  method: 'POST',
  path: '/payments',
  operationId: 'createPayment',
  summary: 'Request a payment',
  description:
    'Creates a payment request that follows the approval policy exactly like one made in chat (approval cards appear for the approvers). ' +
    'Retrying with the same Idempotency-Key and body returns the same payment with `Idempotent-Replayed: true`; the same key with a different body is refused.',
  scope: 'payments:write',
  body: CreatePaymentRequest,
  requestHeaders: [{ name: 'Idempotency-Key', required: true, description: 'Unique per payment you intend (e.g. your PO number + line). 1–255 printable ASCII characters; kept for good.' }],
  responses: {
    201: { description: 'Created', schema: Payment, headers: { Location: 'URL of the payment' } },
    200: { description: 'An earlier request with this Idempotency-Key; nothing new was created', schema: Payment, headers: { 'Idempotent-Replayed': 'true' } },
    400: err('Missing Idempotency-Key or invalid body'),
    422: err('Refused: PAYMENT.IDEMPOTENCY_CONFLICT, PAYMENT.UNKNOWN_ACCOUNT, PAYMENT.UNKNOWN_PAYEE, PAYMENT.CURRENCY_MISMATCH, PAYMENT.PAYEE_CURRENCY, PAYMENT.NO_POLICY, MONEY.*'),
  },
  async handle({ req, token, body, deps }): Promise<Reply> {
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) throw new ApiError(400, 'API.IDEMPOTENCY_KEY_REQUIRED');
    const b = body;
    const amount = fromDecimalString(b.amount, b.currency);
    if (!amount.ok) throw fromRefusal(amount);
    const [account, payee] = await deps.db.read((em) =>
      Promise.all([em.findOne(BankAccountEntity, { code: b.debtor_account.toLowerCase() }), em.findOne(PayeeEntity, { code: b.payee.toLowerCase() })]),
    );
    if (!account) throw new ApiError(422, 'PAYMENT.UNKNOWN_ACCOUNT');
    if (!payee) throw new ApiError(422, 'PAYMENT.UNKNOWN_PAYEE');
    // The normalised body: "100" and "100.00" are one request, a changed purpose is another.
    const fingerprint = {
      debtor_account: account.code, payee: payee.code, amount: amount.value.minor.toString(), currency: amount.value.currency,
      purpose: b.purpose.trim(), execution_date: b.execution_date ?? null, external_ref: b.external_ref ?? null,
    };
    const created = await deps.createPayment.execute({
      source: 'api',
      // Keys are per token: two ERPs choosing the same key never see each other's payment.
      idempotencyKey: `${token.name}:${key}`,
      debtorAccountId: account.id,
      payeeId: payee.id,
      amount: amount.value,
      purpose: b.purpose,
      actor: apiActor(token),
      executionDate: b.execution_date,
      externalRef: b.external_ref,
      fingerprint,
    });
    if (!created.ok) throw fromRefusal(created);
    const json = await deps.db.read((em) => paymentQuery.byReference(em, created.value.payment.reference));
    const location = `/api/v1/payments/${json!.reference}`;
    if (created.value.replayed) return { status: 200, body: json, headers: { 'idempotent-replayed': 'true', location } };
    deps.log.info({ reference: json!.reference, token: token.name, status: json!.status }, 'payment requested over the API');
    return { status: 201, body: json, headers: { location } };
  },
});

const getPayment = defineRoute({
  method: 'GET',
  path: '/payments/{ref}',
  operationId: 'getPayment',
  summary: 'One payment by reference',
  scope: 'payments:read',
  ownScope: true,
  responses: { 200: { description: 'The payment', schema: Payment }, 404: err('PAYMENT.NOT_FOUND') },
  async handle({ params, token, deps }) {
    const json = await deps.db.read((em) => paymentQuery.byReference(em, params.ref));
    // Someone else's payment is "not found" to an own-payments token: it learns nothing about it.
    if (!json || !mayRead(token, json.requested_by)) throw new ApiError(404, 'PAYMENT.NOT_FOUND', { reference: params.ref });
    return { status: 200, body: json };
  },
});

const listPayments = defineRoute({
  method: 'GET',
  path: '/payments',
  operationId: 'listPayments',
  summary: 'Payments, newest first, with cursor pagination',
  scope: 'payments:read',
  ownScope: true,
  query: ListPaymentsQuery,
  responses: { 200: { description: 'A page of payments', schema: PaymentPage }, 400: err('Invalid filter or cursor') },
  async handle({ query, token, deps }) {
    const q = query;
    const own = paymentReadReach(token) === 'own' ? { requestedBy: apiActor(token) } : {};
    return { status: 200, body: await paymentQuery.page(deps.db, { status: q.status, since: q.since, externalRef: q.external_ref, cursor: q.cursor, limit: q.limit, ...own }) };
  },
});

const cancelPayment = defineRoute({
  method: 'POST',
  path: '/payments/{ref}/cancel',
  operationId: 'cancelPayment',
  summary: 'Withdraw a payment this token created, while it awaits approval',
  scope: 'payments:write',
  body: CancelPaymentRequest,
  bodyOptional: true,
  responses: {
    200: { description: 'Cancelled', schema: Payment },
    403: err('PAYMENT.CANCEL_NOT_YOURS: created by someone else'),
    404: err('PAYMENT.NOT_FOUND'),
    409: err('PAYMENT.CANCEL_TOO_LATE: already decided'),
  },
  async handle({ params, token, body, deps }) {
    const r = await cancelApiPayment(deps.db, deps.events, { reference: params.ref, token, reason: body.reason });
    if (!r.ok) throw fromRefusal(r);
    return { status: 200, body: await deps.db.read((em) => paymentQuery.byReference(em, r.value.reference)) };
  },
});

/** A token reads a payment when it may read all, or it created this one. */
const mayRead = (token: ApiToken, requestedBy: string) => paymentReadReach(token) === 'all' || requestedBy === apiActor(token);

export const paymentRoutes: Route[] = [createPayment, listPayments, getPayment, cancelPayment];

import { maskAccountNumber } from '../../domain/mask';
import { toDecimalString } from '../../domain/money/money';
import { directory } from '../../persistence/repositories/directory.repository';
import { verifyAuditChain } from '../../services/audit/verify-audit-chain';
import { defineRoute, type Route } from './api-route';
import { AccountList, AuditVerification } from './api.schemas';
import type { AccountJson } from './api.schemas';

const listAccounts = defineRoute({
  method: 'GET',
  path: '/accounts',
  operationId: 'listAccounts',
  summary: 'Company accounts with their balances (account numbers masked)',
  scope: 'balances:read',
  responses: { 200: { description: 'All company accounts', schema: AccountList } },
  async handle({ deps }) {
    const accounts = await deps.db.read((em) => directory.accounts(em));
    const data: AccountJson[] = accounts.map((a) => ({
      code: a.code,
      name: a.name,
      bank_name: a.bankName,
      account_number_masked: maskAccountNumber(a.accountNumber),
      currency: a.currency,
      balance: toDecimalString(a.balance),
      balance_minor: a.balance.minor.toString(),
      balance_as_of: a.balanceAsOf.toISOString(),
      low_balance_threshold: a.lowBalanceThreshold ? toDecimalString(a.lowBalanceThreshold) : null,
    }));
    return { status: 200, body: { data } };
  },
});

const verifyAudit = defineRoute({
  method: 'GET',
  path: '/audit/verify',
  operationId: 'verifyAuditChain',
  summary: 'Walk the audit hash chain and name the first broken link, if any',
  scope: 'audit:read',
  responses: { 200: { description: 'The verdict', schema: AuditVerification } },
  async handle({ deps }) {
    const v = await verifyAuditChain(deps.db, { checkpointKey: deps.auditCheckpointKey });
    const body = v.intact
      ? { intact: true, checked: v.checked, last_hash: v.lastHash }
      : { intact: false, checked: v.checked, broken_at_seq: v.brokenAtSeq.toString(), reason: v.reason };
    return { status: 200, body };
  },
});

export const accountRoutes: Route[] = [listAccounts, verifyAudit];

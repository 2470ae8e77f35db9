import { Role } from '../../domain/approval/approval-policy';
import { BankAccount, Payee, User } from '../../domain/directory';
import { Locale } from '../../domain/locale';
import { BankAccountRecord, PayeeRecord, UserRecord } from '../entities';

const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

export function userFromRecord(r: UserRecord): User {
  return {
    id: r.id,
    handle: r.handle,
    name: r.name,
    roles: r.roles as Role[],
    approvalLimits: Object.fromEntries(Object.entries(r.approvalLimits ?? {}).map(([c, v]) => [c, BigInt(v)])),
    locale: r.locale as Locale,
    slackUserId: opt(r.slackUserId),
    feishuOpenId: opt(r.feishuOpenId),
    active: r.active,
  };
}

export function accountFromRecord(r: BankAccountRecord): BankAccount {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    aliases: r.aliases ?? [],
    bankName: r.bankName,
    bankBic: opt(r.bankBic),
    accountNumber: r.accountNumber,
    currency: r.currency,
    balance: { minor: BigInt(r.balanceMinor), currency: r.currency },
    balanceAsOf: r.balanceAsOf,
    lowBalanceThreshold:
      r.lowBalanceThresholdMinor === null || r.lowBalanceThresholdMinor === undefined
        ? undefined
        : { minor: BigInt(r.lowBalanceThresholdMinor), currency: r.currency },
    alertChannels: r.alertChannels ?? [],
    isDefault: r.isDefault ?? false,
  };
}

export function payeeFromRecord(r: PayeeRecord): Payee {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    aliases: r.aliases ?? [],
    bankName: r.bankName,
    bankBic: opt(r.bankBic),
    accountNumber: r.accountNumber,
    accountName: r.accountName,
    verified: r.verified,
    coolingOffUntil: opt(r.coolingOffUntil),
    bankDetailsChangedAt: opt(r.bankDetailsChangedAt),
    currencies: r.currencies ?? [],
    createdAt: r.createdAt,
  };
}

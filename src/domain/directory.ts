import { Role } from './approval/approval-policy';
import { Locale } from './locale';
import { Money } from './money/money';

/** A person who may use paydesk; platform identities map chat users onto them. */
export interface User {
  id: string;
  handle: string;
  name: string;
  roles: Role[];
  approvalLimits: Record<string, bigint>;
  locale: Locale;
  slackUserId?: string;
  feishuOpenId?: string;
  active: boolean;
}

export interface BankAccount {
  id: string;
  code: string;
  name: string;
  aliases: string[];
  bankName: string;
  bankBic?: string;
  accountNumber: string;
  currency: string;
  balance: Money;
  balanceAsOf: Date;
  lowBalanceThreshold?: Money;
  alertChannels: string[];
  /** The account that pays in its currency when a request names none (at most one per currency). */
  isDefault?: boolean;
}

export interface Payee {
  id: string;
  code: string;
  name: string;
  aliases: string[];
  bankName: string;
  bankBic?: string;
  accountNumber: string;
  accountName: string;
  verified: boolean;
  coolingOffUntil?: Date;
  bankDetailsChangedAt?: Date;
  /** ISO codes the payee accepts; empty means any currency. */
  currencies?: string[];
  createdAt: Date;
}

/** A payee is "known" once verified and past any cooling-off period. */
export function isKnownPayee(p: Payee, now: Date): boolean {
  return p.verified && (!p.coolingOffUntil || p.coolingOffUntil.getTime() <= now.getTime());
}

export const CAN_REQUEST: readonly Role[] = ['requester', 'treasurer', 'admin'];
export const mayRequest = (u: User): boolean => u.active && u.roles.some((r) => CAN_REQUEST.includes(r));

/** Whether a payee takes payments in this currency (a payee with no list takes any). */
export const payeeAccepts = (p: Pick<Payee, 'currencies'>, currency: string): boolean =>
  !p.currencies?.length || p.currencies.includes(currency);

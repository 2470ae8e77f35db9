import { BigIntType, EntitySchema } from '@mikro-orm/core';

export interface BankAccountRecord {
  id: string;
  code: string;
  name: string;
  aliases: string[];
  bankName: string;
  bankBic?: string | null;
  accountNumber: string;
  currency: string;
  balanceMinor: bigint;
  balanceAsOf: Date;
  /** When the bank itself last reported the balance (refresh or statement); our own settlement debits do not move it. */
  bankReportedAsOf?: Date | null;
  lowBalanceThresholdMinor?: bigint | null;
  alertChannels: string[];
  /** Pays in its currency when a request names no account (at most one per currency). */
  isDefault?: boolean;
  createdAt: Date;
}

export const BankAccountEntity = new EntitySchema<BankAccountRecord>({
  name: 'BankAccountRecord',
  tableName: 'bank_accounts',
  // One default per currency (migration 20261207210000); a partial index, so written out in full.
  indexes: [
    {
      name: 'bank_accounts_default_per_currency',
      expression: 'create unique index "bank_accounts_default_per_currency" on "bank_accounts" ("currency") where "is_default"',
    },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'text', unique: true },
    name: { type: 'text' },
    aliases: { type: 'text[]' },
    bankName: { type: 'text' },
    bankBic: { type: 'text', nullable: true },
    accountNumber: { type: 'text', unique: true },
    currency: { type: 'character', length: 3 },
    balanceMinor: { type: new BigIntType('bigint') },
    balanceAsOf: { type: 'datetime' },
    bankReportedAsOf: { type: 'datetime', nullable: true },
    lowBalanceThresholdMinor: { type: new BigIntType('bigint'), nullable: true },
    alertChannels: { type: 'json' },
    isDefault: { type: 'boolean', default: false },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

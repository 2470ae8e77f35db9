import { EntitySchema } from '@mikro-orm/core';

export interface PayeeRecord {
  id: string;
  code: string;
  name: string;
  aliases: string[];
  bankName: string;
  bankBic?: string | null;
  accountNumber: string;
  accountName: string;
  verified: boolean;
  coolingOffUntil?: Date | null;
  bankDetailsChangedAt?: Date | null;
  /** Currencies the payee accepts; empty = any. */
  currencies?: string[];
  createdAt: Date;
}

export const PayeeEntity = new EntitySchema<PayeeRecord>({
  name: 'PayeeRecord',
  tableName: 'payees',
  properties: {
    id: { type: 'uuid', primary: true },
    code: { type: 'text', unique: true },
    name: { type: 'text' },
    aliases: { type: 'text[]' },
    bankName: { type: 'text' },
    bankBic: { type: 'text', nullable: true },
    accountNumber: { type: 'text' },
    accountName: { type: 'text' },
    verified: { type: 'boolean', default: false },
    coolingOffUntil: { type: 'datetime', nullable: true },
    bankDetailsChangedAt: { type: 'datetime', nullable: true },
    currencies: { type: 'text[]', default: '{}' },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

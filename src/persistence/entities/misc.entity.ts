import { BigIntType, EntitySchema } from '@mikro-orm/core';

/** Where alerts of a kind and severity go, per platform (directory file `alertRoutes`). */
export interface AlertRouteRecord {
  id: string;
  kind: string;
  minSeverity: string;
  platform: string;
  channel: string;
}
export const AlertRouteEntity = new EntitySchema<AlertRouteRecord>({
  name: 'AlertRouteRecord',
  tableName: 'alert_routes',
  uniques: [{ properties: ['kind', 'platform', 'channel'], name: 'alert_routes_kind_platform_channel_unique' }],
  properties: {
    id: { type: 'uuid', primary: true },
    kind: { type: 'text' },
    minSeverity: { type: 'text' },
    platform: { type: 'text' },
    channel: { type: 'text' },
  },
});

/** Platform delivery ids already acted on: retries and double clicks stop here. */
export interface InteractionReceiptRecord {
  platform: string;
  receiptId: string;
  createdAt: Date;
}
export const InteractionReceiptEntity = new EntitySchema<InteractionReceiptRecord>({
  name: 'InteractionReceiptRecord',
  tableName: 'interaction_receipts',
  properties: {
    platform: { type: 'text', primary: true },
    receiptId: { type: 'text', primary: true },
    createdAt: { type: 'datetime', index: true },
  },
});

/** Sandbox bank ledger: the bank's own view, kept apart from our accounts on purpose. */
export interface SandboxAccountRecord {
  accountNumber: string;
  currency: string;
  balanceMinor: bigint;
  closed: boolean;
}
export const SandboxAccountEntity = new EntitySchema<SandboxAccountRecord>({
  name: 'SandboxAccountRecord',
  tableName: 'sandbox_bank_accounts',
  properties: {
    accountNumber: { type: 'text', primary: true },
    currency: { type: 'character', length: 3 },
    balanceMinor: { type: new BigIntType('bigint') },
    closed: { type: 'boolean', default: false },
  },
});

export interface SandboxTransferRecord {
  endToEndId: string;
  debtorAccountNumber: string;
  creditorAccountNumber: string;
  creditorName: string;
  amountMinor: bigint;
  currency: string;
  status: string;
  reason?: string | null;
  acceptedAt: Date;
  settleAt: Date;
}
export const SandboxTransferEntity = new EntitySchema<SandboxTransferRecord>({
  name: 'SandboxTransferRecord',
  tableName: 'sandbox_bank_transfers',
  properties: {
    endToEndId: { type: 'text', primary: true },
    debtorAccountNumber: { type: 'text' },
    creditorAccountNumber: { type: 'text' },
    creditorName: { type: 'text' },
    amountMinor: { type: new BigIntType('bigint') },
    currency: { type: 'character', length: 3 },
    status: { type: 'text' },
    reason: { type: 'text', nullable: true },
    acceptedAt: { type: 'datetime' },
    settleAt: { type: 'datetime', index: true },
  },
});

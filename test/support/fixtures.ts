import { randomUUID } from 'node:crypto';
import { ApprovalTier } from '../../src/domain/approval/approval-policy';
import type { Database } from '../../src/persistence/database';
import {
  ApprovalPolicyEntity,
  BankAccountEntity,
  PayeeEntity,
  SandboxAccountEntity,
  UserEntity,
} from '../../src/persistence/entities';
import { tierToStored } from '../../src/persistence/mappers/payment.mapper';

export const CNY_TIERS: ApprovalTier[] = [
  { upTo: 1_000_000n, approvals: 0, roles: ['approver', 'treasurer'], autoApprove: true }, // ≤ ¥10,000
  { upTo: 20_000_000n, approvals: 1, roles: ['approver', 'treasurer'], autoApprove: false }, // ≤ ¥200,000
  { upTo: null, approvals: 2, roles: ['approver', 'treasurer'], requireRole: 'treasurer', autoApprove: false },
];

export interface Fixture {
  users: Record<'requester' | 'approver' | 'approver2' | 'treasurer' | 'admin' | 'lowLimit', string>;
  accountId: string;
  accountNumber: string;
  knownPayeeId: string;
  newPayeeId: string;
}

/** A small company inserted straight through the entities, independent of the YAML loader. */
export async function seedFixture(db: Database, opts: { balanceMinor?: bigint; extraApprovers?: number } = {}): Promise<Fixture> {
  const big = { CNY: '100000000000' };
  const ids = {
    requester: randomUUID(), approver: randomUUID(), approver2: randomUUID(),
    treasurer: randomUUID(), admin: randomUUID(), lowLimit: randomUUID(),
  };
  const accountId = randomUUID();
  const accountNumber = '6226090000001234';
  const knownPayeeId = randomUUID();
  const newPayeeId = randomUUID();
  await db.tx(async (em) => {
    const user = (id: string, handle: string, roles: string[], limits: Record<string, string> = {}) =>
      em.create(UserEntity, {
        id, handle, name: handle.toUpperCase(), roles, approvalLimits: limits, locale: 'en', active: true,
        slackUserId: `U_${handle}`, feishuOpenId: `ou_${handle}`, createdAt: new Date(),
      });
    user(ids.requester, 'rita', ['requester']);
    user(ids.approver, 'adam', ['approver'], big);
    user(ids.approver2, 'amy', ['approver'], big);
    user(ids.treasurer, 'tess', ['treasurer'], big);
    user(ids.admin, 'root', ['admin', 'requester']);
    user(ids.lowLimit, 'lou', ['approver'], { CNY: '5000000' }); // ¥50,000
    for (let i = 0; i < (opts.extraApprovers ?? 0); i++) user(randomUUID(), `appr${i}`, ['approver', 'treasurer'], big);
    em.create(BankAccountEntity, {
      id: accountId, code: 'cmb-cny', name: 'CMB CNY', aliases: ['cmb'], bankName: 'CMB', accountNumber,
      currency: 'CNY', balanceMinor: opts.balanceMinor ?? 500_000_000n, balanceAsOf: new Date(), alertChannels: [], createdAt: new Date(),
    });
    em.create(SandboxAccountEntity, { accountNumber, currency: 'CNY', balanceMinor: opts.balanceMinor ?? 500_000_000n, closed: false });
    em.create(PayeeEntity, {
      id: knownPayeeId, code: 'acme', name: 'Acme', aliases: [], bankName: 'ICBC', accountNumber: '6222020000005678',
      accountName: 'Acme Ltd', verified: true, createdAt: new Date(),
    });
    em.create(PayeeEntity, {
      id: newPayeeId, code: 'newco', name: 'NewCo', aliases: [], bankName: 'BOC', accountNumber: '6217000000009999',
      accountName: 'NewCo Ltd', verified: false, coolingOffUntil: new Date(Date.now() + 7 * 86400_000), createdAt: new Date(),
    });
    em.create(ApprovalPolicyEntity, { currency: 'CNY', tiers: CNY_TIERS.map(tierToStored), version: 1, updatedBy: 'test', updatedAt: new Date() });
  });
  return { users: ids, accountId, accountNumber, knownPayeeId, newPayeeId };
}

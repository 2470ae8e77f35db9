import { ApprovalPolicy } from '../../domain/approval/approval-policy';
import { BankAccount, Payee, User } from '../../domain/directory';
import type { Tx } from '../database';
import { ApprovalPolicyEntity, BankAccountEntity, PayeeEntity, UserEntity } from '../entities';
import { accountFromRecord, payeeFromRecord, userFromRecord } from '../mappers/directory.mapper';
import { tierFromStored } from '../mappers/payment.mapper';

/** Reads of the company directory: people, accounts, payees and the approval policy. */
export const directory = {
  async user(em: Tx, id: string): Promise<User | undefined> {
    const r = await em.findOne(UserEntity, { id });
    return r ? userFromRecord(r) : undefined;
  },
  async userByHandle(em: Tx, handle: string): Promise<User | undefined> {
    const r = await em.findOne(UserEntity, { handle: handle.toLowerCase() });
    return r ? userFromRecord(r) : undefined;
  },
  async userByPlatform(em: Tx, platform: 'slack' | 'feishu', platformUserId: string): Promise<User | undefined> {
    const where = platform === 'slack' ? { slackUserId: platformUserId } : { feishuOpenId: platformUserId };
    const r = await em.findOne(UserEntity, where);
    return r ? userFromRecord(r) : undefined;
  },
  async users(em: Tx): Promise<User[]> {
    return (await em.find(UserEntity, {}, { orderBy: { handle: 'asc' } })).map(userFromRecord);
  },
  async account(em: Tx, id: string): Promise<BankAccount | undefined> {
    const r = await em.findOne(BankAccountEntity, { id });
    return r ? accountFromRecord(r) : undefined;
  },
  async accounts(em: Tx): Promise<BankAccount[]> {
    return (await em.find(BankAccountEntity, {}, { orderBy: { code: 'asc' } })).map(accountFromRecord);
  },
  async payee(em: Tx, id: string): Promise<Payee | undefined> {
    const r = await em.findOne(PayeeEntity, { id });
    return r ? payeeFromRecord(r) : undefined;
  },
  async payees(em: Tx): Promise<Payee[]> {
    return (await em.find(PayeeEntity, {}, { orderBy: { code: 'asc' } })).map(payeeFromRecord);
  },
  async policy(em: Tx, currency: string): Promise<ApprovalPolicy | undefined> {
    const r = await em.findOne(ApprovalPolicyEntity, { currency });
    return r ? { currency: r.currency, tiers: r.tiers.map(tierFromStored) } : undefined;
  },
};

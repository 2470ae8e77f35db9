import { LockMode } from '@mikro-orm/core';
import { ApprovalVote, Payment } from '../../domain/payment/payment';
import type { Tx } from '../../persistence/database';
import { PaymentEntity, PaymentRecord } from '../../persistence/entities';
import { paymentFromRecord } from '../../persistence/mappers/payment.mapper';

/** Payment reads and the row lock every state change starts with. */
export const paymentStore = {
  async lock(em: Tx, where: { id: string } | { reference: string }): Promise<PaymentRecord | null> {
    return em.findOne(PaymentEntity, where, { lockMode: LockMode.PESSIMISTIC_WRITE });
  },
  async byId(em: Tx, id: string): Promise<Payment | undefined> {
    const r = await em.findOne(PaymentEntity, { id });
    return r ? paymentFromRecord(r) : undefined;
  },
  async byReference(em: Tx, reference: string): Promise<Payment | undefined> {
    const r = await em.findOne(PaymentEntity, { reference: reference.toUpperCase() });
    return r ? paymentFromRecord(r) : undefined;
  },
  /**
   * Votes with the roles their voters held when voting (the current roles only for
   * votes cast before those were stored), and whether the voter is still active.
   */
  async votes(em: Tx, paymentId: string): Promise<(ApprovalVote & { approverRoles: string[]; approverActive: boolean })[]> {
    const rows = await em.execute(
      `select a.approver_id, a.decision, a.reason, a.via, a.created_at, u.name, coalesce(a.approver_roles, u.roles) as roles, u.active
       from approvals a join users u on u.id = a.approver_id
       where a.payment_id = ? order by a.created_at, a.id`,
      [paymentId],
    );
    return rows.map((r: any) => ({
      approverId: r.approver_id,
      approverName: r.name,
      decision: r.decision,
      reason: r.reason ?? undefined,
      via: r.via,
      at: new Date(r.created_at),
      approverRoles: r.roles,
      approverActive: r.active,
    }));
  },
};

import type { FilterQuery } from '@mikro-orm/core';
import type { Tx } from '../../src/persistence/database';
import { PayeeEntity, PaymentEntity, PaymentRecord, UserEntity } from '../../src/persistence/entities';
import { paymentFromRecord } from '../../src/persistence/mappers/payment.mapper';
import type { ListFilter } from '../parse/keywords';
import type { PaymentListRow } from '../views/payment-list.view';

export interface ListQuery {
  filter: ListFilter;
  page: number;
  pageSize: number;
  /** Whose payments `mine` means. */
  userId: string;
  /** Where `today` starts, already in the treasury's time zone. */
  dayStart: Date;
}

/** One page of payments, newest first, with the payee and requester names the list shows. */
export async function listPayments(em: Tx, q: ListQuery): Promise<{ rows: PaymentListRow[]; total: number }> {
  const where: FilterQuery<PaymentRecord> =
    q.filter === 'all' ? {} : q.filter === 'mine' ? { requesterId: q.userId } : q.filter === 'today' ? { createdAt: { $gte: q.dayStart } } : { status: q.filter };
  const [records, total] = await em.findAndCount(PaymentEntity, where, {
    // The reference breaks ties between payments created in the same instant, so pages never overlap.
    orderBy: { createdAt: 'desc', reference: 'desc' },
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const payeeIds = [...new Set(records.map((r) => r.payeeId))];
  const userIds = [...new Set(records.map((r) => r.requesterId).filter((id): id is string => !!id))];
  const [payees, users] = await Promise.all([
    payeeIds.length ? em.find(PayeeEntity, { id: { $in: payeeIds } }) : [],
    userIds.length ? em.find(UserEntity, { id: { $in: userIds } }) : [],
  ]);
  const payeeName = new Map(payees.map((p) => [p.id, p.name]));
  const userName = new Map(users.map((u) => [u.id, u.name]));
  return {
    total,
    rows: records.map((r) => ({
      payment: paymentFromRecord(r),
      payeeName: payeeName.get(r.payeeId),
      requesterName: r.requesterId ? userName.get(r.requesterId) : undefined,
    })),
  };
}

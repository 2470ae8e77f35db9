import type { BankAccount, Payee, User } from '../../domain/directory';
import type { PaymentSchedule } from '../../domain/schedule';
import type { Database } from '../../persistence/database';
import { directory } from '../../persistence/repositories/directory.repository';

/** Who and what a schedule card names next to the schedule itself. */
export interface ScheduleParties {
  payee?: Payee;
  account?: BankAccount;
  requester?: User;
  approver?: User;
  pauser?: User;
}

/** The payee, account, requester, approver and (while paused) pauser of a schedule, in one read. */
export function loadScheduleParties(db: Database, s: PaymentSchedule): Promise<ScheduleParties> {
  return db.read(async (em) => {
    // One after another: an EntityManager must not run queries concurrently.
    const payee = await directory.payee(em, s.payeeId);
    const account = await directory.account(em, s.debtorAccountId);
    const requester = await directory.user(em, s.requesterId);
    const approver = s.approvedBy ? await directory.user(em, s.approvedBy) : undefined;
    const pauser = s.status === 'paused' && s.pausedBy ? await directory.user(em, s.pausedBy) : undefined;
    return { payee, account, requester, approver, pauser };
  });
}

import { Role } from '../../domain/approval/approval-policy';
import { Vote, checkVote } from '../../domain/approval/approval-rules';
import { BankAccount, Payee, User } from '../../domain/directory';
import { ApprovalVote, Payment } from '../../domain/payment/payment';
import type { Database, Tx } from '../../persistence/database';
import { directory } from '../../persistence/repositories/directory.repository';
import { paymentStore } from './payment-store';

/** A payment with what a card shows next to it (matches the command layer's PaymentCardData). */
export interface PaymentWithParties {
  payment: Payment;
  account?: BankAccount;
  payee?: Payee;
  requester?: { name: string };
  votes: (ApprovalVote & { approverRoles: string[] })[];
}

/**
 * Read-only views for chat surfaces that show more than one command's answer, such as
 * Slack's App Home ("waiting for me", "my requests") and the new-payment form's choices.
 */
export class PaymentQueries {
  constructor(private readonly db: Database) {}

  /** Accounts and payees a request form offers, in directory order. */
  async choices(): Promise<{ accounts: BankAccount[]; payees: Payee[] }> {
    return this.db.read(async (em) => ({ accounts: await directory.accounts(em), payees: await directory.payees(em) }));
  }

  /**
   * Pending payments this person could approve right now: the same rule the vote itself
   * is checked against, so the list never offers a button that would then be refused.
   */
  async awaitingDecisionBy(user: User, limit = 10): Promise<{ items: PaymentWithParties[]; total: number }> {
    return this.db.read(async (em) => {
      const rows: { id: string }[] = await em.execute(
        `select p.id from payments p
         where p.status = 'pending_approval'
           and p.requester_id is distinct from ?
           and not exists (select 1 from approvals a where a.payment_id = p.id and a.approver_id = ?)
         order by p.created_at, p.id
         limit 500`,
        [user.id, user.id],
      );
      const eligible: PaymentWithParties[] = [];
      for (const { id } of rows) {
        const item = await this.withParties(em, id);
        if (!item) continue;
        const votes: Vote[] = item.votes.map((v) => ({ approverId: v.approverId, decision: v.decision, approverRoles: v.approverRoles as Role[] }));
        const p = item.payment;
        const allowed = checkVote({ status: p.status, requesterId: p.requesterId ?? '', amount: p.amount, tier: p.tier }, user, 'approve', votes);
        if (allowed.ok) eligible.push(item);
      }
      return { items: eligible.slice(0, limit), total: eligible.length };
    });
  }

  /** The person's own requests, newest first. */
  async requestedBy(userId: string, limit = 10): Promise<{ items: PaymentWithParties[]; total: number }> {
    return this.db.read(async (em) => {
      const rows: { id: string; total: string }[] = await em.execute(
        `select id, count(*) over () as total from payments where requester_id = ?
         order by created_at desc, id limit ?`,
        [userId, limit],
      );
      const items: PaymentWithParties[] = [];
      for (const r of rows) {
        const item = await this.withParties(em, r.id);
        if (item) items.push(item);
      }
      return { items, total: rows.length ? Number(rows[0].total) : 0 };
    });
  }

  private async withParties(em: Tx, id: string): Promise<PaymentWithParties | undefined> {
    const payment = await paymentStore.byId(em, id);
    if (!payment) return undefined;
    // One after another: an EntityManager is not meant for concurrent queries.
    const account = await directory.account(em, payment.debtorAccountId);
    const payee = await directory.payee(em, payment.payeeId);
    const requester = payment.requesterId ? await directory.user(em, payment.requesterId) : undefined;
    const votes = await paymentStore.votes(em, id);
    return { payment, account, payee, requester: requester ? { name: requester.name } : undefined, votes };
  }
}

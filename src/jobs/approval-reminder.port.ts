import type { Payment } from '../domain/payment/payment';

/**
 * What the approval-timeouts job tells people; the chat layer implements it
 * (Slack/Feishu DMs, the approvals channel). Each call happens at most once per
 * payment and kind: the job records the reminder before calling, so a failed
 * delivery is logged, not repeated.
 */
export interface ApprovalReminderPort {
  /** The payment has waited `remindAfter`; nudge the people who can still approve it. */
  remind(payment: Payment, approverIds: string[]): Promise<void>;
  /** The payment has waited `escalateAfter`; tell the treasurers. */
  escalate(payment: Payment, treasurerIds: string[]): Promise<void>;
  /** The payment waited `expireAfter` and is now `expired`; update cards, tell the requester. */
  expired(payment: Payment): Promise<void>;
}

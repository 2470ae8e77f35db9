import { BigIntType, EntitySchema } from '@mikro-orm/core';

export interface ApprovalRecord {
  id: string;
  paymentId: string;
  approverId: string;
  decision: string;
  reason?: string | null;
  via: string;
  createdAt: Date;
  /** The voter's roles when voting; what the policy's role rules count (null: a vote from before they were stored). */
  approverRoles?: string[] | null;
  /** The voter's approval limit in the payment's currency when voting (null: none, or not stored). */
  approverLimitMinor?: bigint | null;
}

export const ApprovalEntity = new EntitySchema<ApprovalRecord>({
  name: 'ApprovalRecord',
  tableName: 'approvals',
  // One vote per person per payment, enforced by the database as well as the rules.
  uniques: [{ properties: ['paymentId', 'approverId'], name: 'approvals_payment_id_approver_id_unique' }],
  checks: [{ name: 'approvals_decision_known', expression: "decision ~ '^(approve|reject)$'" }],
  properties: {
    id: { type: 'uuid', primary: true },
    paymentId: { kind: 'm:1', entity: 'PaymentRecord', mapToPk: true, fieldName: 'payment_id', index: true },
    approverId: { kind: 'm:1', entity: 'UserRecord', mapToPk: true, fieldName: 'approver_id' },
    decision: { type: 'text' },
    reason: { type: 'text', nullable: true },
    via: { type: 'text' },
    createdAt: { type: 'datetime' },
    approverRoles: { type: 'text[]', nullable: true },
    approverLimitMinor: { type: new BigIntType('bigint'), nullable: true },
  },
});

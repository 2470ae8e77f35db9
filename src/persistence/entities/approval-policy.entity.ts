import { EntitySchema } from '@mikro-orm/core';

export interface ApprovalPolicyRecord {
  currency: string;
  /** Tiers with bigint ceilings stored as decimal strings. */
  tiers: { upTo: string | null; approvals: number; roles: string[]; requireRole?: string; autoApprove: boolean }[];
  version: number;
  updatedBy: string;
  updatedAt: Date;
}

export const ApprovalPolicyEntity = new EntitySchema<ApprovalPolicyRecord>({
  name: 'ApprovalPolicyRecord',
  tableName: 'approval_policies',
  properties: {
    currency: { type: 'character', length: 3, primary: true },
    tiers: { type: 'json' },
    version: { type: 'integer', default: 1 },
    updatedBy: { type: 'text' },
    updatedAt: { type: 'datetime' },
  },
});

import { BigIntType, EntitySchema } from '@mikro-orm/core';

/** Row of `payment_schedules`; dates are `YYYY-MM-DD` strings (the driver returns `date` as text). */
export interface PaymentScheduleRecord {
  id: string;
  reference: string;
  payeeId: string;
  debtorAccountId: string;
  amountMinor: bigint;
  currency: string;
  purpose: string;
  cadence: string;
  timezone: string;
  startDate: string;
  endDate?: string | null;
  maxRuns?: number | null;
  runsDone: number;
  status: string;
  requesterId: string;
  approvedBy?: string | null;
  approvedAt?: Date | null;
  autoRunApproved: boolean;
  approvedAmountMinor?: bigint | null;
  nextDueAt?: Date | null;
  nextDueDate?: string | null;
  /** Cursor: the last cadence date already handled, so a holiday edit can never re-run a paid date. */
  lastNominalDate?: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export const PaymentScheduleEntity = new EntitySchema<PaymentScheduleRecord>({
  name: 'PaymentScheduleRecord',
  tableName: 'payment_schedules',
  indexes: [{ properties: ['status', 'nextDueAt'], name: 'payment_schedules_status_next_due_at_index' }],
  properties: {
    id: { type: 'uuid', primary: true },
    reference: { type: 'text', unique: true },
    payeeId: { type: 'uuid' },
    debtorAccountId: { type: 'uuid' },
    amountMinor: { type: new BigIntType('bigint') },
    currency: { type: 'character', length: 3 },
    purpose: { type: 'text' },
    cadence: { type: 'text' },
    timezone: { type: 'text', default: 'Asia/Shanghai' },
    startDate: { type: 'date' },
    endDate: { type: 'date', nullable: true },
    maxRuns: { type: 'integer', nullable: true },
    runsDone: { type: 'integer', default: 0 },
    status: { type: 'text' },
    requesterId: { type: 'uuid' },
    approvedBy: { type: 'uuid', nullable: true },
    approvedAt: { type: 'datetime', nullable: true },
    autoRunApproved: { type: 'boolean', default: false },
    approvedAmountMinor: { type: new BigIntType('bigint'), nullable: true },
    nextDueAt: { type: 'datetime', nullable: true },
    nextDueDate: { type: 'date', nullable: true },
    lastNominalDate: { type: 'date', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    version: { type: 'integer', default: 1 },
  },
});

/** A bank holiday: scheduled runs on it move to the next business day. */
export interface BusinessHolidayRecord {
  date: string;
  name: string;
  createdBy: string;
  createdAt: Date;
}

export const BusinessHolidayEntity = new EntitySchema<BusinessHolidayRecord>({
  name: 'BusinessHolidayRecord',
  tableName: 'business_holidays',
  properties: {
    date: { type: 'date', primary: true },
    name: { type: 'text' },
    createdBy: { type: 'text' },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

/** When a pending payment's approvers were reminded and treasurers alerted; each happens once. */
export interface ApprovalReminderRecord {
  paymentId: string;
  remindedAt?: Date | null;
  escalatedAt?: Date | null;
}

export const ApprovalReminderEntity = new EntitySchema<ApprovalReminderRecord>({
  name: 'ApprovalReminderRecord',
  tableName: 'approval_reminders',
  properties: {
    paymentId: { type: 'uuid', primary: true },
    remindedAt: { type: 'datetime', nullable: true },
    escalatedAt: { type: 'datetime', nullable: true },
  },
});

export const SCHEDULING_ENTITIES = [PaymentScheduleEntity, BusinessHolidayEntity, ApprovalReminderEntity];

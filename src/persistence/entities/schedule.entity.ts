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
  /** Who paused the schedule, while it is paused; decides who may resume it. */
  pausedBy?: string | null;
  combineRuns: boolean;
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
  checks: [
    // A regex rather than IN (…): MikroORM's schema diff mistakes IN-lists for enums.
    { name: 'payment_schedules_status_known', expression: "status ~ '^(pending_approval|active|paused|cancelled|completed|rejected)$'" },
    { name: 'payment_schedules_amount_positive', expression: 'amount_minor > 0' },
    { name: 'payment_schedules_max_runs_positive', expression: 'max_runs is null or max_runs > 0' },
    { name: 'payment_schedules_end_after_start', expression: 'end_date is null or end_date >= start_date' },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    reference: { type: 'text', unique: true },
    // Relations mapped to plain ids: the foreign keys exist, the domain still sees ids.
    payeeId: { kind: 'm:1', entity: 'PayeeRecord', mapToPk: true, fieldName: 'payee_id' },
    debtorAccountId: { kind: 'm:1', entity: 'BankAccountRecord', mapToPk: true, fieldName: 'debtor_account_id' },
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
    requesterId: { kind: 'm:1', entity: 'UserRecord', mapToPk: true, fieldName: 'requester_id' },
    approvedBy: { kind: 'm:1', entity: 'UserRecord', mapToPk: true, fieldName: 'approved_by', nullable: true },
    approvedAt: { type: 'datetime', nullable: true },
    autoRunApproved: { type: 'boolean', default: false },
    approvedAmountMinor: { type: new BigIntType('bigint'), nullable: true },
    pausedBy: { kind: 'm:1', entity: 'UserRecord', mapToPk: true, fieldName: 'paused_by', nullable: true },
    combineRuns: { type: 'boolean', default: false },
    nextDueAt: { type: 'datetime', nullable: true },
    nextDueDate: { type: 'date', nullable: true },
    lastNominalDate: { type: 'date', nullable: true },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime' },
    version: { type: 'integer', default: 1 },
  },
});

/** A company calendar override: a day off (`holiday`) or a working day (`workday`) in one calendar. */
export interface BusinessHolidayRecord {
  calendar: string;
  date: string;
  kind: string;
  /** `command` (kept) or `directory` (replaced whenever the directory file is applied). */
  origin: string;
  name: string;
  createdBy: string;
  createdAt: Date;
}

export const BusinessHolidayEntity = new EntitySchema<BusinessHolidayRecord>({
  name: 'BusinessHolidayRecord',
  tableName: 'business_holidays',
  properties: {
    calendar: { type: 'text', primary: true, default: 'CN' },
    date: { type: 'date', primary: true },
    kind: { type: 'text', default: 'holiday' },
    origin: { type: 'text', default: 'command' },
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
    paymentId: { kind: 'm:1', entity: 'PaymentRecord', mapToPk: true, fieldName: 'payment_id', primary: true },
    remindedAt: { type: 'datetime', nullable: true },
    escalatedAt: { type: 'datetime', nullable: true },
  },
});

/**
 * Monitoring thresholds from the directory file's `monitoring:` section (one row,
 * id `directory`), as the file wrote them; read by every anomaly check, so all
 * replicas use the same thresholds. Lives with scheduling: schedules and
 * monitoring read the same settings (the projection horizon among them).
 */
export interface MonitoringSettingsRecord {
  id: string;
  settings: unknown;
  updatedBy: string;
  updatedAt: Date;
}

export const MonitoringSettingsEntity = new EntitySchema<MonitoringSettingsRecord>({
  name: 'MonitoringSettingsRecord',
  tableName: 'monitoring_settings',
  properties: {
    id: { type: 'text', primary: true },
    settings: { type: 'json' },
    updatedBy: { type: 'text' },
    updatedAt: { type: 'datetime' },
  },
});

export const SCHEDULING_ENTITIES = [PaymentScheduleEntity, BusinessHolidayEntity, ApprovalReminderEntity, MonitoringSettingsEntity];

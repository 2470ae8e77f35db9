import { Migration20261128000000CoreSchema } from './Migration20261128000000CoreSchema';
import { Migration20261128100000Scheduling } from './Migration20261128100000Scheduling';
import { Migration20261128200000SlackCards } from './Migration20261128200000SlackCards';
import { Migration20261128300000FeishuCards } from './Migration20261128300000FeishuCards';
import { Migration20261128400000ErpIntegration } from './Migration20261128400000ErpIntegration';
import { Migration20261128500000Monitoring } from './Migration20261128500000Monitoring';
import { Migration20261128600000ScheduleGuards } from './Migration20261128600000ScheduleGuards';
import { Migration20261128700000BankFilePublish } from './Migration20261128700000BankFilePublish';
import { Migration20261207000000ReportsA } from './Migration20261207000000ReportsA';
import { Migration20261207120000OutboxEvents } from './Migration20261207120000OutboxEvents';
import { Migration20261207210000ChatDefaults } from './Migration20261207210000ChatDefaults';
import { Migration20261207210000SecBankReportedAsOf } from './Migration20261207210000SecBankReportedAsOf';
import { Migration20261207211000SecQueuedStatus } from './Migration20261207211000SecQueuedStatus';
import { Migration20261207212000SecCompanyLegalName } from './Migration20261207212000SecCompanyLegalName';
import { Migration20261207213000SecVoteTimeRoles } from './Migration20261207213000SecVoteTimeRoles';
import { Migration20261207214000SecApiTokenLimits } from './Migration20261207214000SecApiTokenLimits';
import { Migration20261207214517AuditChainer } from './Migration20261207214517AuditChainer';
import { Migration20261207215100SchedCalendar } from './Migration20261207215100SchedCalendar';
import { Migration20261208010000OpsRequestIds } from './Migration20261208010000OpsRequestIds';
import { Migration20261208050000OutboxLazyDeliveries } from './Migration20261208050000OutboxLazyDeliveries';

// Every migration, in order. Listed statically so tsx, jest and compiled JS load the same set.
export const MIGRATIONS = [
  { name: 'Migration20261128000000CoreSchema', class: Migration20261128000000CoreSchema },
  { name: 'Migration20261128100000Scheduling', class: Migration20261128100000Scheduling },
  { name: 'Migration20261128200000SlackCards', class: Migration20261128200000SlackCards },
  { name: 'Migration20261128300000FeishuCards', class: Migration20261128300000FeishuCards },
  { name: 'Migration20261128400000ErpIntegration', class: Migration20261128400000ErpIntegration },
  { name: 'Migration20261128500000Monitoring', class: Migration20261128500000Monitoring },
  { name: 'Migration20261128600000ScheduleGuards', class: Migration20261128600000ScheduleGuards },
  { name: 'Migration20261128700000BankFilePublish', class: Migration20261128700000BankFilePublish },
  { name: 'Migration20261207000000ReportsA', class: Migration20261207000000ReportsA },
  { name: 'Migration20261207120000OutboxEvents', class: Migration20261207120000OutboxEvents },
  { name: 'Migration20261207210000ChatDefaults', class: Migration20261207210000ChatDefaults },
  { name: 'Migration20261207210000SecBankReportedAsOf', class: Migration20261207210000SecBankReportedAsOf },
  { name: 'Migration20261207211000SecQueuedStatus', class: Migration20261207211000SecQueuedStatus },
  { name: 'Migration20261207212000SecCompanyLegalName', class: Migration20261207212000SecCompanyLegalName },
  { name: 'Migration20261207213000SecVoteTimeRoles', class: Migration20261207213000SecVoteTimeRoles },
  { name: 'Migration20261207214000SecApiTokenLimits', class: Migration20261207214000SecApiTokenLimits },
  { name: 'Migration20261207214517AuditChainer', class: Migration20261207214517AuditChainer },
  { name: 'Migration20261207215100SchedCalendar', class: Migration20261207215100SchedCalendar },
  { name: 'Migration20261208010000OpsRequestIds', class: Migration20261208010000OpsRequestIds },
  { name: 'Migration20261208050000OutboxLazyDeliveries', class: Migration20261208050000OutboxLazyDeliveries },
];

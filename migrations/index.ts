import { Migration20261128000000CoreSchema } from './Migration20261128000000CoreSchema';
import { Migration20261128100000Scheduling } from './Migration20261128100000Scheduling';
import { Migration20261128200000SlackCards } from './Migration20261128200000SlackCards';
import { Migration20261128300000FeishuCards } from './Migration20261128300000FeishuCards';
import { Migration20261128400000ErpIntegration } from './Migration20261128400000ErpIntegration';
import { Migration20261128500000Monitoring } from './Migration20261128500000Monitoring';
import { Migration20261128600000ScheduleGuards } from './Migration20261128600000ScheduleGuards';
import { Migration20261128700000BankFilePublish } from './Migration20261128700000BankFilePublish';
import { Migration20261207000000ReportsA } from './Migration20261207000000ReportsA';

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
];

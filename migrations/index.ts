import { Migration20261128000000CoreSchema } from './Migration20261128000000CoreSchema';
import { Migration20261128300000FeishuCards } from './Migration20261128300000FeishuCards';

// Every migration, in order. Listed statically so tsx, jest and compiled JS load the same set.
export const MIGRATIONS = [
  { name: 'Migration20261128000000CoreSchema', class: Migration20261128000000CoreSchema },
  { name: 'Migration20261128300000FeishuCards', class: Migration20261128300000FeishuCards },
];

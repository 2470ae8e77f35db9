import { EntitySchema } from '@mikro-orm/core';

export interface UserRecord {
  id: string;
  handle: string;
  name: string;
  email?: string | null;
  roles: string[];
  /** currency → minor units as decimal string (jsonb cannot hold bigint). */
  approvalLimits: Record<string, string>;
  locale: string;
  slackUserId?: string | null;
  feishuOpenId?: string | null;
  active: boolean;
  createdAt: Date;
}

export const UserEntity = new EntitySchema<UserRecord>({
  name: 'UserRecord',
  tableName: 'users',
  properties: {
    id: { type: 'uuid', primary: true },
    handle: { type: 'text', unique: true },
    name: { type: 'text' },
    email: { type: 'text', nullable: true },
    roles: { type: 'text[]' },
    approvalLimits: { type: 'json' },
    locale: { type: 'text' },
    slackUserId: { type: 'text', nullable: true, unique: true },
    feishuOpenId: { type: 'text', nullable: true, unique: true },
    active: { type: 'boolean', default: true },
    createdAt: { type: 'datetime', defaultRaw: 'now()' },
  },
});

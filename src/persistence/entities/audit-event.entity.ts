import { BigIntType, EntitySchema } from '@mikro-orm/core';

export interface AuditEventRecord {
  seq: bigint;
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export const AuditEventEntity = new EntitySchema<AuditEventRecord>({
  name: 'AuditEventRecord',
  tableName: 'audit_events',
  indexes: [{ properties: ['subjectType', 'subjectId'], name: 'audit_events_subject_index' }],
  properties: {
    seq: { type: new BigIntType('bigint'), primary: true, autoincrement: true },
    at: { type: 'datetime', length: 3 },
    actor: { type: 'text' },
    action: { type: 'text' },
    subjectType: { type: 'text' },
    subjectId: { type: 'text' },
    data: { type: 'json' },
    prevHash: { type: 'character', length: 64 },
    hash: { type: 'character', length: 64, unique: true },
  },
});

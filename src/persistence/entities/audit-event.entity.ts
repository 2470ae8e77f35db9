import { BigIntType, EntitySchema } from '@mikro-orm/core';

export interface AuditEventRecord {
  seq: bigint;
  at: Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
  /** Position in the hash chain; null until the chainer has linked the event (audit-chainer.ts). */
  chainSeq?: bigint | null;
  prevHash?: string | null;
  hash?: string | null;
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
    chainSeq: { type: new BigIntType('bigint'), nullable: true, unique: true },
    prevHash: { type: 'character', length: 64, nullable: true },
    hash: { type: 'character', length: 64, unique: true, nullable: true },
  },
});

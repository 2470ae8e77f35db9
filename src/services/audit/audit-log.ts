import type { AuditEventBody } from '../../domain/audit/audit-chain';
import type { Tx } from '../../persistence/database';

export type AuditInput = Omit<AuditEventBody, 'at'> & { at?: Date };

/**
 * Records one event inside the caller's transaction, so the change and its record
 * commit together or not at all. One insert and no lock: the event is linked into
 * the hash chain after it commits, by the chainer (audit-chainer.ts), so audited
 * transactions never wait for one another.
 */
export async function appendAudit(em: Tx, input: AuditInput): Promise<{ seq: bigint }> {
  const at = (input.at ?? new Date()).toISOString();
  const data = JSON.stringify(input.data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  const rows = await em.execute(
    `insert into audit_events (at, actor, action, subject_type, subject_id, data) values (?, ?, ?, ?, ?, ?::jsonb) returning seq`,
    [at, input.actor, input.action, input.subjectType, input.subjectId, data],
  );
  return { seq: BigInt(rows[0].seq) };
}

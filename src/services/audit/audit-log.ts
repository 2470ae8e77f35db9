import { AuditEventBody, GENESIS_HASH, hashEvent } from '../../domain/audit/audit-chain';
import type { Tx } from '../../persistence/database';

/** Any constant works; it only has to be the same for every writer of the chain. */
const AUDIT_CHAIN_LOCK = 7_261_001;

export type AuditInput = Omit<AuditEventBody, 'at'> & { at?: Date };

/**
 * Appends one event to the hash chain inside the caller's transaction, so the
 * change and its record commit together or not at all. The advisory lock orders
 * writers: the chain's order is the commit order.
 */
export async function appendAudit(em: Tx, input: AuditInput): Promise<{ seq: bigint; hash: string }> {
  await em.execute(`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const last = await em.execute(`select hash from audit_events order by seq desc limit 1`);
  const prevHash: string = last[0]?.hash ?? GENESIS_HASH;
  const body: AuditEventBody = {
    at: (input.at ?? new Date()).toISOString(),
    actor: input.actor,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    data: JSON.parse(JSON.stringify(input.data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
  };
  const hash = hashEvent(prevHash, body);
  const rows = await em.execute(
    `insert into audit_events (at, actor, action, subject_type, subject_id, data, prev_hash, hash)
     values (?, ?, ?, ?, ?, ?::jsonb, ?, ?) returning seq`,
    [body.at, body.actor, body.action, body.subjectType, body.subjectId, JSON.stringify(body.data), prevHash, hash],
  );
  return { seq: BigInt(rows[0].seq), hash };
}

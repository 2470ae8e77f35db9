import { GENESIS_HASH, hashEvent, signCheckpoint } from '../../domain/audit/audit-chain';
import type { Database } from '../../persistence/database';

/** Only chainers take it (never a business transaction): it keeps two chainers from both extending the head. */
const CHAINER_LOCK = 7_261_001;
const BATCH = 2000;

/**
 * Used when AUDIT_CHECKPOINT_KEY is not set (development, tests, the demo). A production
 * deployment sets its own key, kept outside the database, so that someone who can write
 * the database cannot forge a checkpoint.
 */
export const DEV_CHECKPOINT_KEY = 'paydesk-development-audit-checkpoint-key';

export class AuditChainTampered extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditChainTampered';
  }
}

/** The row fields the hash covers, read back exactly as verify reads them. */
export const eventBody = (r: any) => ({
  at: new Date(r.at).toISOString(),
  actor: r.actor as string,
  action: r.action as string,
  subjectType: r.subject_type as string,
  subjectId: r.subject_id as string,
  data: r.data as Record<string, unknown>,
});

/**
 * Links committed, not yet linked events into the hash chain, oldest `seq` first, and
 * signs the new head — all in one transaction, so the newest checkpoint always names the
 * head. An event of a transaction still in flight is invisible here and simply linked by
 * a later round: the chain's order is the order in which events became visible (commit
 * order, by batch), kept in `chain_seq`, and nothing is ever skipped for good.
 * Refuses to extend a head that is not the newest checkpoint: that is tampering.
 * Returns how many events it linked.
 */
export async function linkPendingAuditEvents(db: Database, key: string = DEV_CHECKPOINT_KEY, batch = BATCH): Promise<number> {
  // One cheap statement (the chain_seq index holds the unlinked events under NULL) when there is
  // nothing to link, rather than a transaction and the chainers' lock every round of an idle process.
  const [{ pending }] = await db.read((em) => em.execute(`select exists (select 1 from audit_events where chain_seq is null) as pending`));
  if (!pending) return 0;
  let total = 0;
  for (;;) {
    const n = await db.tx(async (em) => {
      await em.execute(`select pg_advisory_xact_lock(${CHAINER_LOCK})`);
      const pending = await em.execute(
        `select seq, at, actor, action, subject_type, subject_id, data from audit_events where chain_seq is null order by seq limit ${Number(batch)}`,
      );
      if (pending.length === 0) return 0;
      const [head] = await em.execute(
        `select e.chain_seq, e.hash, (select c.chain_seq from audit_checkpoints c order by c.chain_seq desc limit 1) as cp_seq,
                (select c.hash from audit_checkpoints c order by c.chain_seq desc limit 1) as cp_hash
         from (select 1) one left join lateral (select chain_seq, hash from audit_events where chain_seq is not null order by chain_seq desc limit 1) e on true`,
      );
      // Before the first checkpoint (a database chained by an older paydesk) the head is taken as it stands.
      if (head.cp_seq != null && (String(head.chain_seq) !== String(head.cp_seq) || head.hash !== head.cp_hash))
        throw new AuditChainTampered(`audit chain head (${head.chain_seq}) is not the last signed checkpoint (${head.cp_seq}); run verify`);
      let chainSeq = head.chain_seq == null ? 0n : BigInt(head.chain_seq);
      let prevHash: string = head.hash ?? GENESIS_HASH;
      const links = pending.map((r: any) => {
        chainSeq += 1n;
        const hash = hashEvent(prevHash, eventBody(r));
        const link = { seq: String(r.seq), chain_seq: chainSeq.toString(), prev_hash: prevHash, hash };
        prevHash = hash;
        return link;
      });
      await em.execute(
        `update audit_events e set chain_seq = l.chain_seq, prev_hash = l.prev_hash, hash = l.hash
         from jsonb_to_recordset(?::jsonb) as l(seq bigint, chain_seq bigint, prev_hash text, hash text) where e.seq = l.seq`,
        [JSON.stringify(links)],
      );
      await em.execute(`insert into audit_checkpoints (chain_seq, hash, at, signature) values (?, ?, now(), ?)`, [
        chainSeq.toString(), prevHash, signCheckpoint(key, { chainSeq, hash: prevHash }),
      ]);
      return links.length;
    });
    total += n;
    if (n < batch) return total;
  }
}

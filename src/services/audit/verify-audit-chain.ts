import { ChainVerdict, ChainedAuditEvent, GENESIS_HASH, checkpointSignatureValid, verifyChainPage } from '../../domain/audit/audit-chain';
import type { Database } from '../../persistence/database';
import { AuditChainTampered, DEV_CHECKPOINT_KEY, eventBody, linkPendingAuditEvents } from './audit-chainer';

const PAGE = 5000;

export interface VerifyOptions {
  /** The key checkpoints are signed with (AUDIT_CHECKPOINT_KEY); the development key by default. */
  checkpointKey?: string;
  /** Link committed events first (default), so the verdict covers everything committed so far. */
  link?: boolean;
}

/**
 * Walks the whole chain in `chain_seq` order and names the first broken link, then checks
 * every signed checkpoint against it: a changed or inserted event breaks a link or a
 * checkpoint's hash, a deleted one breaks the next link, and deleting the newest events
 * leaves the newest checkpoint pointing past the end.
 */
export async function verifyAuditChain(db: Database, opts: VerifyOptions = {}): Promise<ChainVerdict> {
  const key = opts.checkpointKey ?? DEV_CHECKPOINT_KEY;
  // A chainer that finds the head tampered with refuses to link; the walk below then says where.
  if (opts.link !== false) await linkPendingAuditEvents(db, key).catch((err) => {
    if (!(err instanceof AuditChainTampered)) throw err;
  });
  let state = { prevHash: GENESIS_HASH, checked: 0 };
  let after = 0n;
  let headSeq = 0n;
  for (;;) {
    const rows = await db.read((em) =>
      em.execute(
        `select seq, chain_seq, at, actor, action, subject_type, subject_id, data, prev_hash, hash
         from audit_events where chain_seq > ? order by chain_seq limit ${PAGE}`,
        [after.toString()],
      ),
    );
    if (rows.length === 0) break;
    const events: ChainedAuditEvent[] = rows.map((r: any) => ({ seq: BigInt(r.seq), ...eventBody(r), prevHash: r.prev_hash, hash: r.hash }));
    const verdict = verifyChainPage(events, state);
    if (!verdict.intact) return verdict;
    state = { prevHash: verdict.lastHash, checked: verdict.checked };
    after = BigInt(rows[rows.length - 1].chain_seq);
    headSeq = after;
  }
  const broken = await checkCheckpoints(db, key, headSeq);
  return broken ? { intact: false, checked: state.checked, ...broken } : { intact: true, checked: state.checked, lastHash: state.prevHash };
}

async function checkCheckpoints(db: Database, key: string, headSeq: bigint): Promise<Pick<Extract<ChainVerdict, { intact: false }>, 'brokenAtSeq' | 'reason'> | undefined> {
  let after = -1n;
  let newest: bigint | undefined;
  for (;;) {
    const rows = await db.read((em) =>
      em.execute(
        `select c.chain_seq, c.hash, c.signature, e.hash as event_hash
         from audit_checkpoints c left join audit_events e on e.chain_seq = c.chain_seq
         where c.chain_seq > ? order by c.chain_seq limit ${PAGE}`,
        [after.toString()],
      ),
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      const chainSeq = BigInt(r.chain_seq);
      if (!checkpointSignatureValid(key, { chainSeq, hash: r.hash }, r.signature)) return { brokenAtSeq: chainSeq, reason: 'checkpoint_signature' };
      if (r.event_hash !== r.hash) return { brokenAtSeq: chainSeq, reason: 'checkpoint_mismatch' };
      newest = chainSeq;
    }
    after = BigInt(rows[rows.length - 1].chain_seq);
  }
  // The chainer links and signs in one transaction, so nothing linked lies beyond the newest checkpoint.
  if (newest !== undefined && headSeq > newest) return { brokenAtSeq: newest + 1n, reason: 'unanchored' };
  return undefined;
}

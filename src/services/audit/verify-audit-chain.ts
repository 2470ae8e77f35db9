import { ChainVerdict, ChainedAuditEvent, GENESIS_HASH, verifyChainPage } from '../../domain/audit/audit-chain';
import type { Database } from '../../persistence/database';

const PAGE = 5000;

/** Walks the whole chain in pages and names the first broken link, if any. */
export async function verifyAuditChain(db: Database): Promise<ChainVerdict> {
  let state = { prevHash: GENESIS_HASH, checked: 0 };
  let after = 0n;
  for (;;) {
    const rows = await db.read((em) =>
      em.execute(
        `select seq, at, actor, action, subject_type, subject_id, data, prev_hash, hash
         from audit_events where seq > ? order by seq limit ${PAGE}`,
        [after.toString()],
      ),
    );
    if (rows.length === 0) return { intact: true, checked: state.checked, lastHash: state.prevHash };
    const events: ChainedAuditEvent[] = rows.map((r: any) => ({
      seq: BigInt(r.seq),
      at: new Date(r.at).toISOString(),
      actor: r.actor,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      data: r.data,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
    const verdict = verifyChainPage(events, state);
    if (!verdict.intact) return verdict;
    state = { prevHash: verdict.lastHash, checked: verdict.checked };
    after = events[events.length - 1].seq;
  }
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The fields of an audit event that the hash covers; `seq` and `hash` are derived. */
export interface AuditEventBody {
  at: string; // ISO-8601 UTC, millisecond precision
  actor: string; // "user:<id>", "api:<token name>", "system:<job>"
  action: string; // e.g. "payment.created", "approval.approved"
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

export interface ChainedAuditEvent extends AuditEventBody {
  seq: bigint;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Deterministic JSON: keys sorted, bigint as decimal string, no whitespace, so the
 * same event always hashes the same regardless of how the database returns jsonb.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number in audit data');
  return JSON.stringify(value);
}

export function hashEvent(prevHash: string, body: AuditEventBody): string {
  const canonical = canonicalJson({
    at: body.at,
    actor: body.actor,
    action: body.action,
    subjectType: body.subjectType,
    subjectId: body.subjectId,
    data: body.data,
  });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/**
 * Why a chain does not verify. The link reasons name the first event (its `seq`) whose
 * link is wrong; the checkpoint reasons name the chain position (`chain_seq`) of the
 * checkpoint that disagrees: `checkpoint_mismatch` — the event there is missing (the
 * newest events were deleted) or has another hash (the chain was rewritten);
 * `checkpoint_signature` — a checkpoint not signed with paydesk's key (forged);
 * `unanchored` — linked events beyond the newest checkpoint (the chainer writes both
 * in one transaction, so only a hand-made row gets there).
 */
export type ChainBreak = 'hash_mismatch' | 'prev_hash_mismatch' | 'checkpoint_mismatch' | 'checkpoint_signature' | 'unanchored';

export type ChainVerdict =
  | { intact: true; checked: number; lastHash: string }
  | { intact: false; checked: number; brokenAtSeq: bigint; reason: ChainBreak };

/** A signed statement "the chain's event at position `chainSeq` has hash `hash`". */
export interface AuditCheckpoint {
  chainSeq: bigint;
  hash: string;
}

/** HMAC-SHA256 over position and hash: only a holder of the key can make a checkpoint that verifies. */
export function signCheckpoint(key: string, c: AuditCheckpoint): string {
  return createHmac('sha256', key).update(`${c.chainSeq.toString()}\n${c.hash}`).digest('hex');
}

export function checkpointSignatureValid(key: string, c: AuditCheckpoint, signature: string): boolean {
  const expected = Buffer.from(signCheckpoint(key, c), 'hex');
  const given = Buffer.from(signature.trim(), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Walks events in `seq` order. Feed it in pages; `state` carries the previous hash
 * across pages so a chain of millions never has to sit in memory.
 */
export function verifyChainPage(
  events: readonly ChainedAuditEvent[],
  state: { prevHash: string; checked: number },
): ChainVerdict {
  let { prevHash, checked } = state;
  for (const e of events) {
    if (e.prevHash !== prevHash) return { intact: false, checked, brokenAtSeq: e.seq, reason: 'prev_hash_mismatch' };
    if (hashEvent(e.prevHash, e) !== e.hash) return { intact: false, checked, brokenAtSeq: e.seq, reason: 'hash_mismatch' };
    prevHash = e.hash;
    checked += 1;
  }
  return { intact: true, checked, lastHash: prevHash };
}

import { canonicalJson } from '../../domain/audit/audit-chain';
import { maskAccountNumber } from '../../domain/mask';
import type { Tx } from '../../persistence/database';
import { appendAudit } from '../audit/audit-log';
import type { DirectoryProblem } from './directory.errors';

export interface ApplySummary {
  created: number;
  updated: number;
  unchanged: number;
}

export type Fields = Record<string, unknown>;
type Changes = Record<string, { from: unknown; to: unknown }>;

/**
 * One apply run's bookkeeping: counts, audit events and conflicts. Comparing
 * field by field (rather than trusting the ORM's dirty check) is what makes a
 * re-apply of the same file a true no-op, with no audit noise.
 */
export class DirectoryWriter {
  readonly summary: ApplySummary = { created: 0, updated: 0, unchanged: 0 };
  readonly conflicts: DirectoryProblem[] = [];
  constructor(
    readonly em: Tx,
    readonly actor: string,
    readonly now: Date,
  ) {}

  /** Conflicts have no line: the file is fine, the database disagrees. */
  conflict(field: string, problem: string): void {
    this.conflicts.push({ file: '', line: 0, field, problem });
  }

  /**
   * Creates when `record` is missing (`create` persists it and returns what to
   * audit); otherwise compares `before` (default: the record) with `desired`,
   * assigns only on a difference, and audits the changed fields. `bump` adds
   * bookkeeping fields (version, updatedAt) to a real update only.
   * The audit subject is the natural key ("bob", "cmb-cny-main", "CNY"), as
   * payments use their reference: readable, and stable across databases.
   */
  async upsert(
    kind: string,
    key: Fields,
    record: object | null,
    desired: Fields,
    create: () => Fields,
    opts: { before?: object; bump?: () => Fields } = {},
  ): Promise<'created' | 'updated' | 'unchanged'> {
    const subjectId = Object.values(key).join(' ');
    if (!record) {
      const data = create();
      this.summary.created += 1;
      await this.audit(`directory.${kind}.created`, kind, subjectId, { ...key, ...redact(data) });
      return 'created';
    }
    const changes = changesOf((opts.before ?? record) as Fields, desired);
    if (Object.keys(changes).length === 0) {
      this.summary.unchanged += 1;
      return 'unchanged';
    }
    const extra = opts.bump?.() ?? {};
    Object.assign(record, desired, extra);
    this.summary.updated += 1;
    await this.audit(`directory.${kind}.updated`, kind, subjectId, { ...key, changes: redact(changes), ...extra });
    return 'updated';
  }

  private async audit(action: string, subjectType: string, subjectId: string, data: Fields): Promise<void> {
    await appendAudit(this.em, { actor: this.actor, action, subjectType, subjectId, data, at: this.now });
  }
}

export function changesOf(current: object, desired: Fields): Changes {
  const changes: Changes = {};
  const cur = current as Fields;
  for (const [k, to] of Object.entries(desired)) {
    // canonicalJson: key order, bigint, Date and null/undefined all compare by value.
    if (canonicalJson(cur[k]) !== canonicalJson(to)) changes[k] = { from: cur[k] ?? null, to: to ?? null };
  }
  return changes;
}

/** The audit log is shown in chat; full account numbers never go there. */
function redact<T extends Fields>(data: T): T {
  const out: Fields = { ...data };
  const n = out.accountNumber;
  if (typeof n === 'string') out.accountNumber = maskAccountNumber(n);
  else if (n && typeof n === 'object') {
    const c = n as { from: unknown; to: unknown };
    out.accountNumber = { from: maskAccountNumber(String(c.from)), to: maskAccountNumber(String(c.to)) };
  }
  return out as T;
}

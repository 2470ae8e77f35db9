/**
 * Writes a validated Directory into the database: upsert by natural key, one
 * transaction, one audit event per record that actually changed. Comparing
 * field by field (rather than trusting the ORM's dirty check) is what makes a
 * re-apply of the same file a true no-op, with no audit noise.
 *
 * The file is authoritative for the fields it declares. Records missing from the
 * file are left alone: removing someone is `active: false`, never a silent delete.
 */
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../domain/audit/audit-chain';
import { maskAccountNumber } from '../../domain/mask';
import type { Database, Tx } from '../../persistence/database';
import {
  AlertRouteEntity,
  ApprovalPolicyEntity,
  BankAccountEntity,
  PayeeEntity,
  SandboxAccountEntity,
  UserEntity,
} from '../../persistence/entities';
import { tierToStored } from '../../persistence/mappers/payment.mapper';
import { appendAudit } from '../audit/audit-log';
import { DIRECTORY, DirectoryError, DirectoryProblem } from './directory.errors';
import type { Directory } from './directory.schema';

export interface ApplyOptions {
  /** Audit actor, e.g. "system:seed" or "user:<id>". */
  actor: string;
  now?: Date;
}

export interface ApplySummary {
  created: number;
  updated: number;
  unchanged: number;
}

/** Any constant: two processes seeding at once queue up instead of racing on unique keys. */
const DIRECTORY_LOCK = 7_261_002;
const DAY_MS = 86_400_000;

type Fields = Record<string, unknown>;
type Changes = Record<string, { from: unknown; to: unknown }>;

export async function applyDirectory(db: Database, dir: Directory, opts: ApplyOptions): Promise<ApplySummary> {
  const now = opts.now ?? new Date();
  return db.tx(async (em) => {
    await em.execute(`select pg_advisory_xact_lock(${DIRECTORY_LOCK})`);
    const w = new Writer(em, opts.actor, now);
    await applyUsers(w, dir);
    await applyAccounts(w, dir);
    await applyPayees(w, dir);
    await applyPolicies(w, dir);
    await applyAlertRoutes(w, dir);
    // Throwing rolls back everything above: a conflicting file changes nothing.
    if (w.conflicts.length > 0) throw new DirectoryError(DIRECTORY.CONFLICT, w.conflicts);
    return w.summary;
  });
}

/** True before any directory was loaded (no users), e.g. to seed the demo company on first start. */
export async function isDirectoryEmpty(db: Database): Promise<boolean> {
  return (await db.read((em) => em.count(UserEntity, {}))) === 0;
}

/** Counts, audits and collects conflicts for one apply run. */
class Writer {
  readonly summary: ApplySummary = { created: 0, updated: 0, unchanged: 0 };
  readonly conflicts: DirectoryProblem[] = [];
  constructor(
    readonly em: Tx,
    readonly actor: string,
    readonly now: Date,
  ) {}

  conflict(field: string, problem: string): void {
    this.conflicts.push({ file: '', line: 0, field, problem });
  }

  /**
   * Creates when `record` is missing; otherwise compares `before` (default: the
   * record) with `desired`, assigns only on a difference, and audits the change.
   * `bump` adds bookkeeping fields (version, updatedAt) to a real update only.
   */
  async upsert(
    kind: string,
    key: Fields,
    record: Fields | null,
    desired: Fields,
    create: () => { subjectId: string; data: Fields },
    opts: { before?: Fields; bump?: () => Fields } = {},
  ): Promise<'created' | 'updated' | 'unchanged'> {
    if (!record) {
      const { subjectId, data } = create();
      this.summary.created += 1;
      await this.audit(`directory.${kind}.created`, kind, subjectId, { ...key, ...redact(data) });
      return 'created';
    }
    const changes = changesOf(opts.before ?? record, desired);
    if (Object.keys(changes).length === 0) {
      this.summary.unchanged += 1;
      return 'unchanged';
    }
    const extra = opts.bump?.() ?? {};
    Object.assign(record, desired, extra);
    this.summary.updated += 1;
    const subjectId = String(record.id ?? key.currency);
    await this.audit(`directory.${kind}.updated`, kind, subjectId, { ...key, changes: redact(changes), ...extra });
    return 'updated';
  }

  private async audit(action: string, subjectType: string, subjectId: string, data: Fields): Promise<void> {
    await appendAudit(this.em, { actor: this.actor, action, subjectType, subjectId, data, at: this.now });
  }
}

function changesOf(current: Fields, desired: Fields): Changes {
  const changes: Changes = {};
  for (const [k, to] of Object.entries(desired)) {
    // canonicalJson: key order, bigint, Date and null/undefined compare by value.
    if (canonicalJson(current[k]) !== canonicalJson(to)) changes[k] = { from: current[k] ?? null, to: to ?? null };
  }
  return changes;
}

/** The audit log is read in chat; full account numbers never go there. */
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

const sortedLimits = (l: Record<string, bigint>) =>
  Object.fromEntries(Object.keys(l).sort().map((c) => [c, l[c].toString()]));

async function applyUsers(w: Writer, dir: Directory): Promise<void> {
  const records = await w.em.find(UserEntity, {});
  const byHandle = new Map(records.map((r) => [r.handle, r]));
  const inFile = new Set(dir.users.map((u) => u.handle));
  const plans = dir.users.map((u) => ({
    u,
    record: byHandle.get(u.handle) ?? null,
    desired: {
      name: u.name,
      email: u.email ?? null,
      roles: u.roles,
      locale: u.locale,
      approvalLimits: sortedLimits(u.approvalLimits),
      slackUserId: u.slackUserId ?? null,
      feishuOpenId: u.feishuOpenId ?? null,
      active: u.active,
    },
  }));
  const ids = [['slackUserId', 'Slack id'], ['feishuOpenId', 'Feishu open_id']] as const;
  const conflictsBefore = w.conflicts.length;
  for (const p of plans)
    for (const [field, label] of ids) {
      const holder = p.desired[field] && records.find((r) => r[field] === p.desired[field]);
      if (holder && holder.handle !== p.u.handle && !inFile.has(holder.handle))
        w.conflict(`users[${p.u.handle}].${field}`, `${label} ${p.desired[field]} belongs to "${holder.handle}", who is not in this file`);
    }
  if (w.conflicts.length > conflictsBefore) return;
  // Compare against the state before any identity was released below.
  const before = plans.map((p) => (p.record ? { ...p.record } : null));
  // Identities can move between people in one file (a swap). Unique indexes are checked
  // per statement, so the old holders let go first, in a flush of their own.
  const moving = plans.filter((p) => p.record && ids.some(([f]) => p.record![f] && p.record![f] !== p.desired[f]));
  if (moving.length > 0) {
    for (const { record, desired } of moving) for (const [f] of ids) if (record![f] !== desired[f]) record![f] = null;
    await w.em.flush();
  }
  for (const [i, { u, record, desired }] of plans.entries()) {
    await w.upsert('user', { handle: u.handle }, record as unknown as Fields | null, desired, () => {
      const id = randomUUID();
      w.em.create(UserEntity, { id, handle: u.handle, ...desired, createdAt: w.now });
      return { subjectId: id, data: desired };
    }, { before: before[i] ?? undefined });
  }
}

async function applyAccounts(w: Writer, dir: Directory): Promise<void> {
  const records = await w.em.find(BankAccountEntity, {});
  const byCode = new Map(records.map((r) => [r.code, r]));
  const conflictsBefore = w.conflicts.length;
  for (const a of dir.accounts) {
    const record = byCode.get(a.code) ?? null;
    const field = `accounts[${a.code}]`;
    const other = records.find((r) => r.accountNumber === a.accountNumber && r.code !== a.code);
    if (other) w.conflict(`${field}.number`, `account number is already used by account "${other.code}"`);
    // Payments, balances and the bank's ledger hang off these two: changing them in place would rewrite history.
    if (record && record.accountNumber !== a.accountNumber)
      w.conflict(`${field}.number`, `cannot change the number of an existing account (now ${maskAccountNumber(record.accountNumber)}); add a new account with a new code`);
    if (record && record.currency !== a.currency)
      w.conflict(`${field}.currency`, `cannot change the currency of an existing account (now ${record.currency})`);
    if (w.conflicts.length > conflictsBefore) continue;
    const desired = {
      name: a.name,
      aliases: a.aliases,
      bankName: a.bankName,
      bankBic: a.bankBic ?? null,
      lowBalanceThresholdMinor: a.lowBalanceThreshold?.minor ?? null,
      alertChannels: a.alertChannels,
    };
    await w.upsert('account', { code: a.code }, record as unknown as Fields | null, desired, () => {
      const id = randomUUID();
      const created = {
        ...desired,
        accountNumber: a.accountNumber,
        currency: a.currency,
        balanceMinor: a.openingBalance.minor,
        balanceAsOf: w.now,
      };
      w.em.create(BankAccountEntity, { id, code: a.code, ...created, createdAt: w.now });
      return { subjectId: id, data: created };
    });
    // The sandbox bank must know every account it is asked to debit; a live balance is its own business.
    if (!(await w.em.findOne(SandboxAccountEntity, { accountNumber: a.accountNumber })))
      w.em.create(SandboxAccountEntity, {
        accountNumber: a.accountNumber,
        currency: a.currency,
        balanceMinor: record ? record.balanceMinor : a.openingBalance.minor,
        closed: false,
      });
  }
}

async function applyPayees(w: Writer, dir: Directory): Promise<void> {
  const byCode = new Map((await w.em.find(PayeeEntity, {})).map((r) => [r.code, r]));
  for (const p of dir.payees) {
    const record = byCode.get(p.code) ?? null;
    const bank = { bankName: p.bankName, bankBic: p.bankBic ?? null, accountNumber: p.accountNumber, accountName: p.accountName };
    // New bank details are the classic fraud vector: they restart the cooling-off clock.
    const bankChanged = record !== null && Object.keys(changesOf(record as unknown as Fields, bank)).length > 0;
    const changedAt = bankChanged ? w.now : (record?.bankDetailsChangedAt ?? null);
    // Anchored to stored times, never to "now", so re-applying the same file computes the same date.
    const anchor = changedAt ?? record?.createdAt ?? w.now;
    const desired = {
      name: p.name,
      aliases: p.aliases,
      ...bank,
      verified: p.verified,
      coolingOffUntil: p.coolingOffDays > 0 ? new Date(anchor.getTime() + p.coolingOffDays * DAY_MS) : null,
      bankDetailsChangedAt: changedAt,
    };
    await w.upsert('payee', { code: p.code }, record as unknown as Fields | null, desired, () => {
      const id = randomUUID();
      w.em.create(PayeeEntity, { id, code: p.code, ...desired, createdAt: w.now });
      return { subjectId: id, data: desired };
    });
  }
}

async function applyPolicies(w: Writer, dir: Directory): Promise<void> {
  const byCurrency = new Map((await w.em.find(ApprovalPolicyEntity, {})).map((r) => [r.currency, r]));
  for (const policy of dir.policies) {
    const record = byCurrency.get(policy.currency) ?? null;
    const tiers = policy.tiers.map(tierToStored);
    const bump = () => ({ version: record!.version + 1, updatedBy: w.actor, updatedAt: w.now });
    await w.upsert('policy', { currency: policy.currency }, record as unknown as Fields | null, { tiers }, () => {
      w.em.create(ApprovalPolicyEntity, { currency: policy.currency, tiers, version: 1, updatedBy: w.actor, updatedAt: w.now });
      return { subjectId: policy.currency, data: { tiers, version: 1 } };
    }, { bump });
  }
}

async function applyAlertRoutes(w: Writer, dir: Directory): Promise<void> {
  const keyOf = (r: { kind: string; platform: string; channel: string }) => `${r.kind}\u0000${r.platform}\u0000${r.channel}`;
  const byKey = new Map((await w.em.find(AlertRouteEntity, {})).map((r) => [keyOf(r), r]));
  for (const route of dir.alertRoutes) {
    const record = byKey.get(keyOf(route)) ?? null;
    const key = { kind: route.kind, platform: route.platform, channel: route.channel };
    await w.upsert('alert_route', key, record as unknown as Fields | null, { minSeverity: route.minSeverity }, () => {
      const id = randomUUID();
      w.em.create(AlertRouteEntity, { id, ...key, minSeverity: route.minSeverity });
      return { subjectId: id, data: { minSeverity: route.minSeverity } };
    });
  }
}

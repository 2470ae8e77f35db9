/**
 * Writes a validated Directory into the database: upsert by natural key, in one
 * transaction, one audit event per record that actually changed.
 *
 * The file is authoritative for the fields it declares. Records missing from the
 * file are left alone: removing someone is `active: false`, never a silent delete.
 */
import { randomUUID } from 'node:crypto';
import { maskAccountNumber } from '../../domain/mask';
import type { Database } from '../../persistence/database';
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
import { calendarStore } from '../calendar/calendar-store';
import { SETTINGS_ID, monitoringSettingsStore } from '../monitoring/monitoring-settings';
import { rescheduleLive } from '../schedules/holiday-calendar';
import { scheduleStore } from '../schedules/schedule-store';
import { DIRECTORY, DirectoryError } from './directory.errors';
import type { Directory } from './directory.schema';
import { ApplySummary, DirectoryWriter, changesOf } from './directory-writer';
import { applyReportRoutes } from '../reports/report-routes';

export type { ApplySummary } from './directory-writer';

export interface ApplyOptions {
  /** Audit actor, e.g. "system:seed" or "user:<handle>". */
  actor: string;
  now?: Date;
}

/** Any constant: two processes seeding at once queue up instead of racing on unique keys. */
const DIRECTORY_LOCK = 7_261_002;
const DAY_MS = 86_400_000;

/**
 * All or nothing: a conflict with what the database holds (an account number
 * that changed, a Slack id owned by someone outside the file) throws
 * DirectoryError(DIRECTORY.CONFLICT) listing every conflict, and rolls back.
 */
export async function applyDirectory(db: Database, dir: Directory, opts: ApplyOptions): Promise<ApplySummary> {
  const now = opts.now ?? new Date();
  return db.tx(async (em) => {
    await em.execute(`select pg_advisory_xact_lock(${DIRECTORY_LOCK})`);
    const w = new DirectoryWriter(em, opts.actor, now);
    // The calendar first: it locks the live schedules, and schedule rows come before the audit chain in every writer.
    await applyCalendar(w, dir);
    await applyCompany(w, dir);
    await applyUsers(w, dir);
    await applyAccounts(w, dir);
    await applyPayees(w, dir);
    await applyPolicies(w, dir);
    await applyAlertRoutes(w, dir);
    await applyMonitoring(w, dir);
    await applyReportRoutes(w.em, dir.reportRoutes ?? []);
    if (w.conflicts.length > 0) throw new DirectoryError(DIRECTORY.CONFLICT, w.conflicts);
    return w.summary;
  });
}

/** True before any directory was loaded (no users), e.g. to seed the demo company on first start. */
export async function isDirectoryEmpty(db: Database): Promise<boolean> {
  return (await db.read((em) => em.count(UserEntity, {}))) === 0;
}

/** The one company row: its legal name is what pain.001 files say (FileGateway reads it). */
async function applyCompany(w: DirectoryWriter, dir: Directory): Promise<void> {
  const rows = await w.em.execute(`select name, legal_name from company_profile where id = 1`);
  const record = rows[0] ? { name: rows[0].name, legalName: rows[0].legal_name } : null;
  const desired = { name: dir.company.name, legalName: dir.company.legalName };
  const outcome = await w.upsert('company', { company: 'company' }, record, desired, () => desired);
  if (outcome === 'unchanged') return;
  await w.em.execute(
    `insert into company_profile (id, name, legal_name, updated_at) values (1, ?, ?, ?)
     on conflict (id) do update set name = excluded.name, legal_name = excluded.legal_name, updated_at = excluded.updated_at`,
    [desired.name, desired.legalName, w.now],
  );
}

const IDENTITIES = [
  ['slackUserId', 'Slack id'],
  ['feishuOpenId', 'Feishu open_id'],
] as const;

async function applyUsers(w: DirectoryWriter, dir: Directory): Promise<void> {
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
      // Sorted, as decimal strings: jsonb cannot hold bigint, and a stable order keeps the diff honest.
      approvalLimits: Object.fromEntries(
        Object.keys(u.approvalLimits)
          .sort()
          .map((c) => [c, u.approvalLimits[c].toString()]),
      ),
      slackUserId: u.slackUserId ?? null,
      feishuOpenId: u.feishuOpenId ?? null,
      active: u.active,
    },
  }));

  const conflictsBefore = w.conflicts.length;
  for (const { u, desired } of plans)
    for (const [field, label] of IDENTITIES) {
      const holder = desired[field] && records.find((r) => r[field] === desired[field]);
      if (holder && holder.handle !== u.handle && !inFile.has(holder.handle))
        w.conflict(
          `users[${u.handle}].${field}`,
          `${label} ${desired[field]} belongs to "${holder.handle}", who is not in this file`,
        );
    }
  if (w.conflicts.length > conflictsBefore) return;

  // Diffs are taken against the state before identities are released below.
  const before = plans.map((p) => (p.record ? { ...p.record } : undefined));
  // Identities may move between people in one file (a swap). Unique indexes are
  // checked per statement, so the old holders let go first, in a flush of their own.
  let released = false;
  for (const { record, desired } of plans)
    for (const [f] of IDENTITIES)
      if (record?.[f] && record[f] !== desired[f]) {
        record[f] = null;
        released = true;
      }
  if (released) await w.em.flush();

  for (const [i, { u, record, desired }] of plans.entries()) {
    const create = () => {
      const id = randomUUID();
      w.em.create(UserEntity, { id, handle: u.handle, ...desired, createdAt: w.now });
      return { id, ...desired };
    };
    await w.upsert('user', { handle: u.handle }, record, desired, create, { before: before[i] });
  }
}

async function applyAccounts(w: DirectoryWriter, dir: Directory): Promise<void> {
  const records = await w.em.find(BankAccountEntity, {});
  const byCode = new Map(records.map((r) => [r.code, r]));
  const before = new Map(records.map((r) => [r.code, { ...r }]));
  // One default per currency is a unique index, checked per statement: a default
  // moving between two accounts of the file lets go first, in a flush of its own.
  const inFile = new Map(dir.accounts.map((a) => [a.code, a]));
  let released = false;
  const lateConflicts: [string, string][] = [];
  for (const r of records.filter((x) => x.isDefault)) {
    const mine = inFile.get(r.code);
    const taker = dir.accounts.find((a) => a.isDefault && a.currency === r.currency && a.code !== r.code);
    if (!taker) continue;
    if (!mine)
      lateConflicts.push([`accounts[${taker.code}].default`, `account "${r.code}", not in this file, is already the ${r.currency} default`]);
    else if (!mine.isDefault) {
      r.isDefault = false;
      released = true;
    }
  }
  if (released) await w.em.flush();
  for (const a of dir.accounts) {
    const record = byCode.get(a.code) ?? null;
    const at = `accounts[${a.code}]`;
    const conflictsBefore = w.conflicts.length;
    const other = records.find((r) => r.accountNumber === a.accountNumber && r.code !== a.code);
    if (other) w.conflict(`${at}.number`, `account number is already used by account "${other.code}"`);
    // Payments, balances and the bank's ledger hang off number and currency: changing them in place rewrites history.
    if (record && record.accountNumber !== a.accountNumber)
      w.conflict(
        `${at}.number`,
        `cannot change the number of an existing account (now ${maskAccountNumber(record.accountNumber)}); ` +
          'add the new account under a new code',
      );
    if (record && record.currency !== a.currency)
      w.conflict(`${at}.currency`, `cannot change the currency of an existing account (now ${record.currency})`);
    if (w.conflicts.length > conflictsBefore) continue;

    const desired = {
      name: a.name,
      aliases: a.aliases,
      bankName: a.bankName,
      bankBic: a.bankBic ?? null,
      lowBalanceThresholdMinor: a.lowBalanceThreshold?.minor ?? null,
      alertChannels: a.alertChannels,
      isDefault: a.isDefault,
    };
    // The opening balance is only ever written here: a re-apply must not reset a live balance.
    const create = () => {
      const id = randomUUID();
      const fields = {
        ...desired,
        accountNumber: a.accountNumber,
        currency: a.currency,
        balanceMinor: a.openingBalance.minor,
        balanceAsOf: w.now,
      };
      w.em.create(BankAccountEntity, { id, code: a.code, ...fields, createdAt: w.now });
      return { id, ...fields };
    };
    await w.upsert('account', { code: a.code }, record, desired, create, { before: before.get(a.code) });

    // The sandbox bank must know every account it may be asked to debit; once it
    // does, its balance is the bank's own business.
    if (!(await w.em.findOne(SandboxAccountEntity, { accountNumber: a.accountNumber })))
      w.em.create(SandboxAccountEntity, {
        accountNumber: a.accountNumber,
        currency: a.currency,
        balanceMinor: record ? record.balanceMinor : a.openingBalance.minor,
        closed: false,
      });
  }
  // Only when nothing else was wrong: a renamed account (a number conflict) would otherwise be reported twice.
  if (w.conflicts.length === 0) for (const [at, why] of lateConflicts) w.conflict(at, why);
}

async function applyPayees(w: DirectoryWriter, dir: Directory): Promise<void> {
  const byCode = new Map((await w.em.find(PayeeEntity, {})).map((r) => [r.code, r]));
  for (const p of dir.payees) {
    const record = byCode.get(p.code) ?? null;
    const bank = {
      bankName: p.bankName,
      bankBic: p.bankBic ?? null,
      accountNumber: p.accountNumber,
      accountName: p.accountName,
    };
    // New bank details are the classic payment-fraud move: they restart the cooling-off clock.
    const bankChanged = record !== null && Object.keys(changesOf(record, bank)).length > 0;
    const changedAt = bankChanged ? w.now : (record?.bankDetailsChangedAt ?? null);
    // Anchored to stored times, never to "now", so re-applying the same file computes the same date.
    const anchor = changedAt ?? record?.createdAt ?? w.now;
    const desired = {
      name: p.name,
      aliases: p.aliases,
      ...bank,
      verified: p.verified,
      currencies: p.currencies,
      coolingOffUntil: p.coolingOffDays > 0 ? new Date(anchor.getTime() + p.coolingOffDays * DAY_MS) : null,
      bankDetailsChangedAt: changedAt,
    };
    const create = () => {
      const id = randomUUID();
      w.em.create(PayeeEntity, { id, code: p.code, ...desired, createdAt: w.now });
      return { id, ...desired };
    };
    await w.upsert('payee', { code: p.code }, record, desired, create);
  }
}

async function applyPolicies(w: DirectoryWriter, dir: Directory): Promise<void> {
  const byCurrency = new Map((await w.em.find(ApprovalPolicyEntity, {})).map((r) => [r.currency, r]));
  for (const policy of dir.policies) {
    const record = byCurrency.get(policy.currency) ?? null;
    const tiers = policy.tiers.map(tierToStored);
    const create = () => {
      const fields = { tiers, version: 1, updatedBy: w.actor, updatedAt: w.now };
      w.em.create(ApprovalPolicyEntity, { currency: policy.currency, ...fields });
      return { tiers, version: 1 };
    };
    // Payments snapshot their tier; the version tells readers which edit a snapshot came from.
    const bump = () => ({ version: record!.version + 1, updatedBy: w.actor, updatedAt: w.now });
    await w.upsert('policy', { currency: policy.currency }, record, { tiers }, create, { bump });
  }
}

async function applyAlertRoutes(w: DirectoryWriter, dir: Directory): Promise<void> {
  const keyOf = (r: { kind: string; platform: string; channel: string }) =>
    JSON.stringify([r.kind, r.platform, r.channel]);
  const byKey = new Map((await w.em.find(AlertRouteEntity, {})).map((r) => [keyOf(r), r]));
  for (const route of dir.alertRoutes) {
    const record = byKey.get(keyOf(route)) ?? null;
    const key = { kind: route.kind, platform: route.platform, channel: route.channel };
    const create = () => {
      const id = randomUUID();
      w.em.create(AlertRouteEntity, { id, ...key, minSeverity: route.minSeverity });
      return { id, minSeverity: route.minSeverity };
    };
    await w.upsert('alert_route', key, record, { minSeverity: route.minSeverity }, create);
  }
}

/** Canonical JSON (sorted keys): jsonb does not keep key order, so compare like this. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** The `monitoring:` thresholds: one row, audited with before and after whenever they change. */
async function applyMonitoring(w: DirectoryWriter, dir: Directory): Promise<void> {
  if (!dir.monitoring) return;
  const before = await monitoringSettingsStore.load(w.em);
  if (before && canonical(before) === canonical(dir.monitoring)) return;
  await w.em.execute(
    `insert into monitoring_settings (id, settings, updated_by, updated_at) values (?, ?::jsonb, ?, ?)
     on conflict (id) do update set settings = excluded.settings, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    [SETTINGS_ID, JSON.stringify(dir.monitoring), w.actor, w.now],
  );
  await appendAudit(w.em, {
    actor: w.actor, action: 'directory.monitoring.updated', subjectType: 'monitoring', subjectId: SETTINGS_ID, at: w.now,
    data: { before: before ?? null, after: dir.monitoring },
  });
}

/**
 * The `calendar:` overrides replace the file's earlier ones (rows with origin
 * `directory`); a file entry takes over a command-made override of the same
 * date. Live schedules are moved to their next run under the new calendar.
 */
async function applyCalendar(w: DirectoryWriter, dir: Directory): Promise<void> {
  if (!dir.calendar) return;
  const desired = new Map<string, { calendar: string; date: string; kind: string; name: string }>();
  for (const [kind, days] of [['holiday', dir.calendar.holidays], ['workday', dir.calendar.workdays]] as const)
    for (const d of days) desired.set(`${d.calendar} ${d.date}`, { calendar: d.calendar, date: d.date, kind, name: d.name });
  const current = (await calendarStore.overrides(w.em)).filter((o) => o.origin === 'directory');
  const key = (o: { calendar: string; date: string; kind: string; name: string }) => `${o.calendar} ${o.date} ${o.kind} ${o.name}`;
  const have = new Set(current.map(key));
  const added = [...desired.values()].filter((d) => !have.has(key(d)));
  const removed = current.filter((o) => !desired.has(`${o.calendar} ${o.date}`));
  if (added.length === 0 && removed.length === 0) return;
  const live = await scheduleStore.lockLive(w.em);
  for (const o of removed) await w.em.execute(`delete from business_holidays where calendar = ? and date = ?`, [o.calendar, o.date]);
  for (const d of added)
    await w.em.execute(
      `insert into business_holidays (calendar, date, kind, origin, name, created_by, created_at) values (?, ?, ?, 'directory', ?, ?, ?)
       on conflict (calendar, date) do update set kind = excluded.kind, origin = 'directory', name = excluded.name,
         created_by = excluded.created_by, created_at = excluded.created_at`,
      [d.calendar, d.date, d.kind, d.name, w.actor, w.now],
    );
  const moved = await rescheduleLive(w.em, live, w.now);
  await appendAudit(w.em, {
    actor: w.actor, action: 'directory.calendar.updated', subjectType: 'holiday', subjectId: 'directory', at: w.now,
    data: { added, removed: removed.map(({ calendar, date, kind, name }) => ({ calendar, date, kind, name })), moved },
  });
}

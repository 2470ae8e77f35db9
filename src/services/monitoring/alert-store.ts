import { randomUUID } from 'node:crypto';
import { Alert, AlertKind, AlertStatus } from '../../domain/alerts/alert';
import { Severity } from '../../domain/alerts/severity';
import type { Tx } from '../../persistence/database';

export interface NewAlert {
  kind: AlertKind;
  severity: Severity;
  subjectType: string;
  subjectId: string;
  dedupeKey: string;
  title: string;
  detail: Record<string, unknown>;
}

const SELECT = `select a.*, u.name as acknowledged_by_name from alerts a left join users u on u.id = a.acknowledged_by`;

const date = (v: unknown): Date | undefined => (v === null || v === undefined ? undefined : new Date(v as string));

function alertFromRow(r: any): Alert {
  return {
    id: r.id,
    kind: r.kind,
    severity: r.severity,
    status: r.status as AlertStatus,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    dedupeKey: r.dedupe_key,
    title: r.title,
    detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : (r.detail ?? {}),
    createdAt: new Date(r.created_at),
    acknowledgedBy: r.acknowledged_by ? { id: r.acknowledged_by, name: r.acknowledged_by_name ?? '' } : undefined,
    acknowledgedAt: date(r.acknowledged_at),
    resolvedAt: date(r.resolved_at),
    resolvedBy: r.resolved_by ?? undefined,
    lastNotifiedAt: date(r.last_notified_at),
    notifyCount: Number(r.notify_count),
  };
}

/** Plain SQL over `alerts`: the partial unique index does the de-duplication. */
export const alertStore = {
  /** Inserts unless an unresolved alert with the key exists; either way returns the alert that stands. */
  async insertUnlessPresent(em: Tx, a: NewAlert, now: Date): Promise<{ alert: Alert; created: boolean }> {
    const inserted = await em.execute(
      `insert into alerts (id, kind, severity, status, subject_type, subject_id, dedupe_key, title, detail, created_at)
       values (?, ?, ?, 'open', ?, ?, ?, ?, ?::jsonb, ?)
       on conflict (dedupe_key) where status <> 'resolved' do nothing returning id`,
      [randomUUID(), a.kind, a.severity, a.subjectType, a.subjectId, a.dedupeKey, a.title, JSON.stringify(a.detail), now],
    );
    if (inserted.length > 0) return { alert: (await this.byId(em, inserted[0].id))!, created: true };
    const rows = await em.execute(`${SELECT} where a.dedupe_key = ? and a.status <> 'resolved'`, [a.dedupeKey]);
    // The holder of the key was resolved between our insert and this read: raise again.
    if (rows.length === 0) return this.insertUnlessPresent(em, a, now);
    return { alert: alertFromRow(rows[0]), created: false };
  },

  async byId(em: Tx, id: string): Promise<Alert | undefined> {
    const rows = await em.execute(`${SELECT} where a.id = ?`, [id]);
    return rows[0] ? alertFromRow(rows[0]) : undefined;
  },

  async lock(em: Tx, id: string): Promise<Alert | undefined> {
    const rows = await em.execute(`${SELECT} where a.id = ? for update of a`, [id]);
    return rows[0] ? alertFromRow(rows[0]) : undefined;
  },

  /** Newest first. */
  async list(em: Tx, statuses: readonly AlertStatus[], limit: number): Promise<{ alerts: Alert[]; total: number }> {
    const list = `(${statuses.map((s) => `'${s.replace(/[^a-z]/g, '')}'`).join(',')})`;
    const rows = await em.execute(`${SELECT} where a.status in ${list} order by a.created_at desc, a.id limit ${Math.floor(limit)}`);
    const total = await em.execute(`select count(*)::int as n from alerts where status in ${list}`);
    return { alerts: rows.map(alertFromRow), total: Number(total[0].n) };
  },

  /** Unresolved alerts about one subject, locked, optionally of some kinds or key prefix. */
  async lockUnresolvedFor(em: Tx, subjectType: string, subjectId: string, kinds?: readonly AlertKind[]): Promise<Alert[]> {
    const rows = await em.execute(
      `${SELECT} where a.subject_type = ? and a.subject_id = ? and a.status <> 'resolved' order by a.created_at for update of a`,
      [subjectType, subjectId],
    );
    return rows.map(alertFromRow).filter((a: Alert) => !kinds || kinds.includes(a.kind));
  },

  async markAcknowledged(em: Tx, id: string, userId: string, now: Date): Promise<void> {
    await em.execute(`update alerts set status = 'acknowledged', acknowledged_by = ?, acknowledged_at = ? where id = ?`, [userId, now, id]);
  },

  async markResolved(em: Tx, id: string, by: string, now: Date): Promise<void> {
    await em.execute(`update alerts set status = 'resolved', resolved_by = ?, resolved_at = ? where id = ?`, [by, now, id]);
  },

  /**
   * Claims delivery of one fresh alert: only the first claimer of a never-notified
   * open alert gets it back, so the immediate post and the sweep never both post.
   */
  async claimFirstNotice(em: Tx, id: string, now: Date): Promise<Alert | undefined> {
    const rows = await em.execute(
      `update alerts set last_notified_at = ?, notify_count = notify_count + 1
        where id = ? and status = 'open' and last_notified_at is null returning id`,
      [now, id],
    );
    return rows.length ? this.byId(em, id) : undefined;
  },

  /**
   * Claims open alerts that are due: never notified and older than `freshBefore`
   * (their immediate post failed or never ran), or last notified before `repeatBefore`.
   * SKIP LOCKED lets two processes sweep at once without posting twice.
   */
  async claimDue(em: Tx, now: Date, freshBefore: Date, repeatBefore: Date, limit = 100): Promise<{ alert: Alert; previous?: Date }[]> {
    const due = await em.execute(
      `select id, last_notified_at from alerts
        where status = 'open' and ((last_notified_at is null and created_at <= ?) or last_notified_at <= ?)
        order by created_at limit ${Math.floor(limit)} for update skip locked`,
      [freshBefore, repeatBefore],
    );
    const out: { alert: Alert; previous?: Date }[] = [];
    for (const d of due) {
      await em.execute(`update alerts set last_notified_at = ?, notify_count = notify_count + 1 where id = ?`, [now, d.id]);
      out.push({ alert: (await this.byId(em, d.id))!, previous: date(d.last_notified_at) });
    }
    return out;
  },

  /** Gives a claim back when no surface took the post, so the next sweep tries again. */
  async unclaim(em: Tx, id: string, previous: Date | undefined): Promise<void> {
    await em.execute(`update alerts set last_notified_at = ?, notify_count = greatest(notify_count - 1, 0) where id = ?`, [previous ?? null, id]);
  },
};

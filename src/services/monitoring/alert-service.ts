import { Alert, AlertKind, AlertStatus, mayAcknowledge } from '../../domain/alerts/alert';
import '../../domain/alerts/alert.messages';
import { Result, ok, refuse } from '../../domain/result';
import type { Database, Tx } from '../../persistence/database';
import { directory } from '../../persistence/repositories/directory.repository';
import { appendAudit } from '../audit/audit-log';
import { AlertRouter, RouterLogger } from './alert-router';
import { NewAlert, alertStore } from './alert-store';
import type { AlertEvent, PaymentEvents } from '../events';

export interface AlertServiceOptions {
  /** An open alert nobody acknowledged is posted again after this long (config.alerts.repeatAfterMs). */
  repeatAfterMs: number;
  /** A raised alert whose first post has not happened after this long is picked up by the sweep. */
  firstPostGraceMs?: number;
  clock?: () => Date;
  log?: RouterLogger;
  /**
   * The outbox. With it, every raise, acknowledgement and resolution records an event in its own
   * transaction and the `alert-cards` consumer posts and refreshes the cards (at least once, after
   * any crash); without it (a few tests) the cards are sent in process after the commit.
   */
  events?: PaymentEvents;
}

const SYSTEM = 'system:monitoring';

/**
 * Raising, acknowledging and resolving alerts. Every change commits with its
 * audit event and its outbox event; chat posts happen after the commit, from the
 * outbox, so a slow platform never holds a transaction open and neither a failed
 * post nor a crash loses an alert card (the outbox retries; the sweep repeats).
 */
export class AlertService {
  private readonly clock: () => Date;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly db: Database,
    private readonly router: AlertRouter<any> | undefined,
    private readonly opts: AlertServiceOptions,
  ) {
    this.clock = opts.clock ?? (() => new Date());
  }

  /** Raises (or finds the unresolved alert with the same key) and posts a new one at once. */
  async raise(input: NewAlert): Promise<{ alert: Alert; raised: boolean }> {
    const r = await this.db.tx((em) => this.raiseIn(em, input));
    if (r.raised) await this.deliver(r.alert);
    return r;
  }

  /** The in-transaction half of `raise`; the caller calls `deliver` after its commit. */
  async raiseIn(em: Tx, input: NewAlert): Promise<{ alert: Alert; raised: boolean }> {
    const now = this.clock();
    const { alert, created } = await alertStore.insertUnlessPresent(em, input, now);
    if (created)
      await appendAudit(em, {
        actor: SYSTEM, action: 'alert.raised', subjectType: 'alert', subjectId: alert.id, at: now,
        data: { kind: alert.kind, severity: alert.severity, key: alert.dedupeKey, subjectType: alert.subjectType, subjectId: alert.subjectId, title: alert.title },
      });
    if (created) await this.record(em, 'alert.raised', alert.id);
    return { alert, raised: created };
  }

  /** First post of a raised alert after its commit; with the outbox, the outbox does it. */
  async deliver(alert: Alert): Promise<void> {
    if (this.opts.events) return;
    await this.deliverNow(alert.id);
  }

  /** First post; a no-op when another process (or the sweep) already posted it. Throws when no copy could be posted. */
  async deliverNow(alertId: string): Promise<void> {
    if (!this.router) return;
    const claimed = await this.db.tx((em) => alertStore.claimFirstNotice(em, alertId, this.clock()));
    if (!claimed) return;
    const r = await this.router.post(claimed);
    if (r.targets > 0 && r.delivered === 0) {
      await this.db.tx((em) => alertStore.unclaim(em, alertId, undefined));
      throw new Error(`alert ${alertId}: no copy of the card could be posted`);
    }
  }

  /**
   * The durable `alert-cards` consumer: first posts and card refreshes. A redelivery acts once: the
   * first post is claimed in the database, and a refresh shows the alert as it is now.
   */
  subscribe(events: PaymentEvents): () => void {
    return events.subscribe(
      'alert-cards',
      async (e: AlertEvent) => {
        if (e.type === 'alert.raised') return void (await this.deliverNow(e.alertId));
        const alert = await this.byId(e.alertId);
        if (alert) await this.router?.refresh(alert, { strict: true });
      },
      { types: ['alert.raised', 'alert.changed'] },
    );
  }

  /** Approvers, treasurers and admins may acknowledge; repeats stop and every copy of the card is refreshed. */
  async acknowledge(alertId: string, userId: string): Promise<Result<Alert>> {
    const r = await this.db.tx(async (em): Promise<Result<Alert>> => {
      const user = await directory.user(em, userId);
      if (!user || !user.active) return refuse('AUTH.UNKNOWN_USER');
      if (!mayAcknowledge(user)) return refuse('ALERT.ACK_FORBIDDEN');
      const alert = await alertStore.lock(em, alertId);
      if (!alert) return refuse('ALERT.NOT_FOUND');
      // Maker–checker applies to alerts too: silencing the alert on your own payment is not yours to do.
      if (alert.subjectType === 'payment') {
        const own = await em.execute(`select 1 from payments where id = ? and requester_id = ?`, [alert.subjectId, user.id]);
        if (own.length > 0) return refuse('ALERT.SELF_ACK');
      }
      if (alert.status === 'acknowledged') return refuse('ALERT.ALREADY_ACKNOWLEDGED', { name: alert.acknowledgedBy?.name ?? '' });
      if (alert.status === 'resolved') return refuse('ALERT.ALREADY_RESOLVED');
      const now = this.clock();
      await alertStore.markAcknowledged(em, alert.id, user.id, now);
      await appendAudit(em, {
        actor: `user:${user.handle}`, action: 'alert.acknowledged', subjectType: 'alert', subjectId: alert.id, at: now,
        data: { kind: alert.kind, key: alert.dedupeKey },
      });
      await this.record(em, 'alert.changed', alert.id);
      return ok((await alertStore.byId(em, alert.id))!);
    });
    if (r.ok && !this.opts.events) this.inBackground(() => this.refresh([r.value]));
    return r;
  }

  /** Closes one alert (the condition is gone); `actor` is `system:…` or `user:<handle>`. */
  async resolve(alertId: string, actor: string): Promise<Result<Alert>> {
    const r = await this.db.tx(async (em): Promise<Result<Alert>> => {
      const alert = await alertStore.lock(em, alertId);
      if (!alert) return refuse('ALERT.NOT_FOUND');
      if (alert.status === 'resolved') return refuse('ALERT.ALREADY_RESOLVED');
      await this.markResolved(em, alert, actor);
      return ok((await alertStore.byId(em, alert.id))!);
    });
    if (r.ok) await this.refresh([r.value]);
    return r;
  }

  /** Resolves every unresolved alert about a subject (optionally of some kinds) inside the caller's transaction. */
  async resolveForSubjectIn(em: Tx, subjectType: string, subjectId: string, kinds: readonly AlertKind[] | undefined, actor: string): Promise<Alert[]> {
    const alerts = await alertStore.lockUnresolvedFor(em, subjectType, subjectId, kinds);
    const out: Alert[] = [];
    for (const a of alerts) {
      await this.markResolved(em, a, actor);
      out.push((await alertStore.byId(em, a.id))!);
    }
    return out;
  }

  /** Re-renders the posted cards of these alerts on every surface, after their commit; with the outbox, the outbox does it. */
  async refresh(alerts: readonly Alert[]): Promise<void> {
    if (!this.router || this.opts.events) return;
    for (const a of alerts) await this.router.refresh(a);
  }

  /**
   * Posts what is due: alerts whose first post never happened, and open alerts
   * nobody acknowledged within `repeatAfterMs`. Run on a schedule.
   */
  async sweep(): Promise<number> {
    if (!this.router) return 0;
    const now = this.clock();
    const freshBefore = new Date(now.getTime() - (this.opts.firstPostGraceMs ?? 60_000));
    const repeatBefore = new Date(now.getTime() - this.opts.repeatAfterMs);
    const claimed = await this.db.tx((em) => alertStore.claimDue(em, now, freshBefore, repeatBefore));
    let posted = 0;
    for (const { alert, previous } of claimed) {
      const r = await this.router.post(alert);
      if (r.targets > 0 && r.delivered === 0) await this.db.tx((em) => alertStore.unclaim(em, alert.id, previous));
      else posted += 1;
    }
    return posted;
  }

  async byId(id: string): Promise<Alert | undefined> {
    return this.db.read((em) => alertStore.byId(em, id));
  }

  /** Newest first; `/pay alerts` shows the open ones. */
  async list(statuses: readonly AlertStatus[] = ['open'], limit = 20): Promise<{ alerts: Alert[]; total: number }> {
    return this.db.read((em) => alertStore.list(em, statuses, limit));
  }

  /** Waits for card refreshes in flight (shutdown, tests), and with the outbox for what it has due now. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await this.opts.events?.settle();
  }

  private async markResolved(em: Tx, alert: Alert, actor: string): Promise<void> {
    const now = this.clock();
    await alertStore.markResolved(em, alert.id, actor, now);
    await appendAudit(em, {
      actor, action: 'alert.resolved', subjectType: 'alert', subjectId: alert.id, at: now,
      data: { kind: alert.kind, key: alert.dedupeKey, from: alert.status },
    });
    await this.record(em, 'alert.changed', alert.id);
  }

  private async record(em: Tx, type: AlertEvent['type'], alertId: string): Promise<void> {
    await this.opts.events?.record(em, { type, alertId });
  }

  // The answer to a tap goes out first; the other copies of the card follow.
  private inBackground(fn: () => Promise<void>): void {
    const p: Promise<void> = fn()
      .catch((err) => this.opts.log?.warn({ err }, 'alert card refresh failed'))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }
}

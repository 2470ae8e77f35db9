import { Alert, AlertKind } from '../../domain/alerts/alert';
import { Severity, isSeverity, severityAtLeast } from '../../domain/alerts/severity';
import type { Locale } from '../../domain/locale';
import type { Database, Tx } from '../../persistence/database';

/** A card in the reader's language; the command layer's LocalisedCard fits. */
export type AlertCard<C> = (locale: Locale) => C;

/**
 * What routing needs from a chat surface. The command layer's ChatSurface
 * satisfies it as is; services may not import the command layer, hence this port.
 */
export interface AlertSurface<C = unknown> {
  readonly platform: string;
  postAlert(input: { channel: string; key: string; card: AlertCard<C> }): Promise<void>;
  updateCard(input: { key: string; card: AlertCard<C> }): Promise<void>;
}

export type AlertCardFactory<C> = (alert: Alert) => AlertCard<C>;

export interface AlertTarget {
  platform: string;
  channel: string;
}

export interface RouterLogger {
  warn(obj: object, msg: string): void;
}

/** Every copy of one alert's card shares this key, so acknowledging refreshes them all. */
export const alertCardKey = (alert: Pick<Alert, 'id'>): string => `alert:${alert.id}`;

/** A route for `low_balance` also carries its early warning; `*` carries everything. */
export function routeMatches(route: { kind: string; minSeverity: string }, alert: { kind: AlertKind; severity: Severity }): boolean {
  const kindOk = route.kind === '*' || route.kind === alert.kind || (route.kind === 'low_balance' && alert.kind === 'projected_low_balance');
  return kindOk && isSeverity(route.minSeverity) && severityAtLeast(alert.severity, route.minSeverity);
}

/**
 * An account's own alert channel names no platform: `slack:C…`, `feishu:oc_…`
 * and `web:#…` say it outright; otherwise Feishu chat ids start with `oc_`,
 * Slack channel ids are `C…`/`G…` in capitals, and anything else (`#alerts`)
 * is a playground channel.
 */
export function accountChannelTarget(channel: string): AlertTarget {
  const explicit = /^(web|slack|feishu):(.+)$/.exec(channel);
  if (explicit) return { platform: explicit[1], channel: explicit[2] };
  if (channel.startsWith('oc_')) return { platform: 'feishu', channel };
  if (/^[CG][A-Z0-9]{6,}$/.test(channel)) return { platform: 'slack', channel };
  return { platform: 'web', channel };
}

/** Sends alert cards where the `alert_routes` table (and the account's own channels) say. */
export class AlertRouter<C = unknown> {
  /**
   * `surfaces` is kept by reference, not copied: the composition root fills its
   * shared surfaces list as chat adapters start, after monitoring was built.
   */
  constructor(
    private readonly db: Database,
    private readonly surfaces: AlertSurface<C>[],
    private readonly cardFor: AlertCardFactory<C>,
    private readonly log: RouterLogger = { warn: () => {} },
  ) {}

  /** Adds a surface that is not in the shared list. */
  addSurface(surface: AlertSurface<C>): void {
    if (!this.surfaces.includes(surface)) this.surfaces.push(surface);
  }

  async targetsFor(em: Tx, alert: Alert): Promise<AlertTarget[]> {
    const routes = await em.execute(`select kind, min_severity, platform, channel from alert_routes order by platform, channel`);
    const targets: AlertTarget[] = routes
      .filter((r: any) => routeMatches({ kind: r.kind, minSeverity: r.min_severity }, alert))
      .map((r: any) => ({ platform: r.platform, channel: r.channel }));
    if (alert.subjectType === 'account' && (alert.kind === 'low_balance' || alert.kind === 'projected_low_balance')) {
      const rows = await em.execute(`select alert_channels from bank_accounts where id::text = ?`, [alert.subjectId]);
      const channels: string[] = rows[0]?.alert_channels ?? [];
      targets.push(...channels.map(accountChannelTarget));
    }
    const seen = new Set<string>();
    return targets.filter((t) => {
      const k = `${t.platform}\u0000${t.channel}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
  }

  /**
   * Posts one copy per target whose platform is running; a failing surface does
   * not stop the others. `targets` counts configured targets, running or not, so
   * a post made before the surfaces started counts as not delivered and is retried.
   */
  async post(alert: Alert): Promise<{ targets: number; delivered: number }> {
    const all = await this.db.read((em) => this.targetsFor(em, alert));
    const card = this.cardFor(alert);
    const targets = all.filter((t) => this.surfaces.some((s) => s.platform === t.platform));
    let delivered = 0;
    for (const t of targets) {
      for (const s of this.surfaces.filter((x) => x.platform === t.platform)) {
        try {
          await s.postAlert({ channel: t.channel, key: alertCardKey(alert), card });
          delivered += 1;
        } catch (err) {
          this.log.warn({ err, alert: alert.id, platform: t.platform, channel: t.channel }, 'posting an alert failed');
        }
      }
    }
    return { targets: all.length, delivered };
  }

  /**
   * Re-renders every posted copy (acknowledged, resolved). A failing surface does not stop the
   * others; with `strict` the failure is thrown afterwards, so the outbox retries (an update is idempotent).
   */
  async refresh(alert: Alert, opts: { strict?: boolean } = {}): Promise<void> {
    const card = this.cardFor(alert);
    let failed: unknown;
    for (const s of this.surfaces) {
      try {
        await s.updateCard({ key: alertCardKey(alert), card });
      } catch (err) {
        failed = err;
        this.log.warn({ err, alert: alert.id, platform: s.platform }, 'updating an alert card failed');
      }
    }
    if (opts.strict && failed !== undefined) throw failed;
  }
}

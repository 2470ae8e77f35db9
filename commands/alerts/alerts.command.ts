import { t } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import type { User } from '../../src/domain/directory';
import type { AlertService } from '../../src/services/monitoring/alert-service';
import type { ListView, Reply } from '../view/view';
import { alertTitle, formatAt } from './alert-card.view';
import './alerts.messages';

export interface AlertCommandDeps {
  alerts: AlertService;
  /** IANA zone for times; the command layer's timeZone. */
  timeZone?: string;
}

const SHOWN = 20;

/**
 * `/pay alerts` (`/付款 告警`): the open alerts, newest first. Any mapped user may
 * read them (they show nothing a payment card or /balance does not); acknowledging
 * needs an approver, treasurer or admin and happens on the card itself.
 */
export async function alertsCommand(deps: AlertCommandDeps, _user: User, locale: Locale): Promise<Reply> {
  const { alerts, total } = await deps.alerts.list(['open'], SHOWN);
  const view: ListView = {
    kind: 'list',
    title: total > 0 ? `${t(locale, 'ALERTS.TITLE')} (${total})` : t(locale, 'ALERTS.TITLE'),
    items: alerts.map((a) => ({
      title: alertTitle(a, locale),
      subtitle: t(locale, 'ALERTS.ITEM_SUBTITLE', {
        severity: t(locale, `ALERTCARD.SEVERITY.${a.severity}`),
        at: formatAt(a.createdAt, deps.timeZone),
        count: a.notifyCount,
      }),
      status: { label: t(locale, `ALERTCARD.SEVERITY.${a.severity}`), tone: a.severity === 'high' ? 'danger' : a.severity === 'medium' ? 'warning' : 'info' },
      key: `alert:${a.id}`,
    })),
    empty: t(locale, 'ALERTS.EMPTY'),
    ...(total > 0
      ? { footer: total > alerts.length ? `${t(locale, 'ALERTS.MORE', { shown: alerts.length, total })} ${t(locale, 'ALERTS.HINT')}` : t(locale, 'ALERTS.HINT') }
      : {}),
  };
  return { visibility: 'ephemeral', view };
}

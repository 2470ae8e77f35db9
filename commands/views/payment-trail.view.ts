import { hasMessage } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import type { TrailEvent } from '../../src/services/queries/payment-trail.query';
import { tr } from '../command.messages';
import type { ViewField } from '../view/view';
import { formatDateTime } from './format';

/** "2026-12-07 10:02 · Approved (slack) · user:bob" per audit event; unknown actions show their code. */
export function trailField(events: TrailEvent[], locale: Locale, timeZone?: string): ViewField {
  const lines = events.map((e) => {
    const what = hasMessage(locale, `TRAIL.${e.action}`) ? tr(locale, `TRAIL.${e.action}`) : e.action;
    const via = typeof e.data.via === 'string' ? ` (${e.data.via})` : '';
    const status = typeof e.data.bankStatus === 'string' ? ` ${e.data.bankStatus}` : '';
    return `${formatDateTime(e.at, timeZone)} · ${what}${via}${status} · ${e.actor}`;
  });
  return { label: tr(locale, 'TRAIL.TITLE'), value: lines.join('\n') || '—' };
}

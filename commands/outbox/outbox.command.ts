import { t } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import type { User } from '../../src/domain/directory';
import type { Database } from '../../src/persistence/database';
import { outboxStatus, retryParked } from '../../src/services/outbox/outbox-status';
import { formatAt } from '../alerts/alert-card.view';
import type { ListView, Reply } from '../view/view';
import './outbox.messages';

export interface OutboxCommandDeps {
  db: Database;
  timeZone?: string;
}

/**
 * `/pay outbox` (`/付款 发件箱`), admins only: deliveries still waiting per consumer and the
 * parked ones (failed too often; never dropped). `/pay outbox retry` (`重试`) queues parked ones again.
 */
export async function outboxCommand(deps: OutboxCommandDeps, user: User, locale: Locale, args: string): Promise<Reply> {
  if (!user.roles.includes('admin')) return { visibility: 'ephemeral', view: { kind: 'message', tone: 'danger', text: t(locale, 'OUTBOX.ADMIN_ONLY') } };
  if (/^(retry|重试)$/i.test(args.trim())) {
    const count = await retryParked(deps.db);
    return { visibility: 'ephemeral', view: { kind: 'message', tone: 'good', text: t(locale, 'OUTBOX.RETRIED', { count }) } };
  }
  const s = await outboxStatus(deps.db);
  const items: ListView['items'] = [
    ...s.parked.map((p) => ({
      title: t(locale, 'OUTBOX.PARKED', { attempts: p.attempts, consumer: p.consumer, type: p.type, subject: p.subject }),
      subtitle: `${formatAt(p.createdAt, deps.timeZone)}${p.lastError ? ` · ${p.lastError.slice(0, 200)}` : ''}`,
      status: { label: t(locale, 'OUTBOX.STATE_PARKED'), tone: 'danger' as const },
    })),
    ...s.pending.map((p) => ({ title: t(locale, 'OUTBOX.PENDING', { consumer: p.consumer, count: p.count, oldest: formatAt(p.oldest, deps.timeZone) }), subtitle: '' })),
    ...(s.unfanned > 0 ? [{ title: t(locale, 'OUTBOX.UNFANNED', { count: s.unfanned }), subtitle: '' }] : []),
  ];
  const view: ListView = {
    kind: 'list',
    title: t(locale, 'OUTBOX.TITLE'),
    items,
    empty: t(locale, 'OUTBOX.EMPTY'),
    ...(s.parkedTotal > 0 ? { footer: t(locale, 'OUTBOX.PARKED_TOTAL', { count: s.parkedTotal }) } : {}),
  };
  return { visibility: 'ephemeral', view };
}

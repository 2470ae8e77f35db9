import type { Locale } from '../../src/domain/locale';
import { formatMoney } from '../../src/domain/money';
import type { Payment } from '../../src/domain/payment/payment';
import { tr } from '../command.messages';
import type { ListFilter } from '../parse/keywords';
import type { ListView } from '../view/view';
import { formatDateTime } from './format';
import { STATUS_TONE, paymentCardKey } from './payment-card.view';

export interface PaymentListRow {
  payment: Payment;
  payeeName?: string;
  requesterName?: string;
}

export interface PaymentListContext {
  rows: PaymentListRow[];
  filter: ListFilter;
  page: number;
  pageSize: number;
  total: number;
  locale: Locale;
  timeZone?: string;
}

export function paymentListView(ctx: PaymentListContext): ListView {
  const { locale } = ctx;
  const pages = Math.max(1, Math.ceil(ctx.total / ctx.pageSize));
  const footer = [tr(locale, 'LIST.PAGE', { page: ctx.page, pages, total: ctx.total })];
  if (ctx.page < pages) footer.push(tr(locale, 'LIST.NEXT', { command: nextPageCommand(locale, ctx.filter, ctx.page + 1) }));
  return {
    kind: 'list',
    title: listTitle(locale, ctx.filter),
    items: ctx.rows.map(({ payment: p, payeeName, requesterName }) => ({
      key: paymentCardKey(p.id),
      title: tr(locale, 'LIST.ITEM_TITLE', { reference: p.reference, amount: formatMoney(p.amount, locale), payee: payeeName ?? '?' }),
      subtitle: tr(locale, 'LIST.ITEM_SUBTITLE', {
        purpose: p.purpose,
        requester: requesterName ?? p.requestedBy,
        at: formatDateTime(p.createdAt, ctx.timeZone),
      }),
      status: { label: tr(locale, `STATUS.${p.status}`), tone: STATUS_TONE[p.status] },
    })),
    footer: footer.join(' · '),
    empty: tr(locale, 'LIST.EMPTY'),
  };
}

function listTitle(locale: Locale, filter: ListFilter): string {
  if (filter === 'all' || filter === 'mine' || filter === 'today') return tr(locale, `LIST.TITLE.${filter}`);
  return tr(locale, 'LIST.TITLE.status', { status: tr(locale, `STATUS.${filter}`) });
}

/** The exact text to type for the next page, in the reader's language so it can be copied. */
function nextPageCommand(locale: Locale, filter: ListFilter, page: number): string {
  if (locale === 'zh-CN') {
    const word = filter === 'all' ? '' : filter === 'mine' ? '我的 ' : filter === 'today' ? '今天 ' : `${tr(locale, `STATUS.${filter}`)} `;
    return `/付款 列表 ${word}第${page}页`;
  }
  const word = filter === 'all' ? '' : filter === 'pending_approval' ? 'pending ' : `${filter} `;
  return `/pay list ${word}page ${page}`;
}

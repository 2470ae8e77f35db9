import type { Locale } from '../../src/domain/locale';
import { formatMoney } from '../../src/domain/money';
import type { Payment } from '../../src/domain/payment/payment';
import { isPaymentStatus } from '../../src/domain/payment/payment-status';
import { tr } from '../command.messages';
import type { ListWord } from '../parse/keywords';
import { ListView, MessageView, message } from '../view/view';
import { formatDateTime } from './format';
import { STATUS_TONE, paymentCardKey } from './payment-card.view';

export interface PaymentListRow {
  payment: Payment;
  payeeName?: string;
  requesterName?: string;
}

/** What the list was asked for, to title it and to write the next page's command. */
export interface ListSpec {
  words: readonly ListWord[];
  currency?: string;
  payee?: { typed: string; name: string };
  /** No filter was typed and the reader's default (todo for approvers) applied. */
  defaulted?: boolean;
}

export interface PaymentListContext {
  rows: PaymentListRow[];
  spec: ListSpec;
  page: number;
  pageSize: number;
  total: number;
  locale: Locale;
  timeZone?: string;
}

export function paymentListView(ctx: PaymentListContext): ListView {
  const { locale, spec } = ctx;
  const pages = Math.max(1, Math.ceil(ctx.total / ctx.pageSize));
  const footer = [tr(locale, ctx.total === 1 ? 'LIST.PAGE_ONE' : 'LIST.PAGE', { page: ctx.page, pages, total: ctx.total })];
  if (ctx.page < pages) footer.push(tr(locale, 'LIST.NEXT', { command: listCommand(locale, spec, ctx.page + 1) }));
  if (spec.defaulted) footer.push(tr(locale, 'LIST.DEFAULT_TODO', { command: listCommand(locale, { words: ['all'] }) }));
  return {
    kind: 'list',
    title: listTitle(locale, spec),
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
    empty: tr(locale, spec.words.includes('todo') ? 'LIST.EMPTY_TODO' : 'LIST.EMPTY'),
  };
}

/** "Page 3 of 2" helps nobody: say how many pages there are and how to get the last. */
export function pastEndView(locale: Locale, spec: ListSpec, page: number, pages: number, total: number): MessageView {
  return message('info', tr(locale, total === 1 ? 'LIST.PAST_END_ONE' : 'LIST.PAST_END', { page, pages, total }), [
    tr(locale, 'LIST.LAST_PAGE', { command: listCommand(locale, spec, pages) }),
  ]);
}

function listTitle(locale: Locale, spec: ListSpec): string {
  const base = spec.words.includes('todo') ? 'todo' : spec.words.includes('mine') ? 'mine' : 'all';
  const extra: string[] = [];
  const status = spec.words.find(isPaymentStatus);
  if (status) extra.push(tr(locale, `STATUS.${status}`));
  if (spec.words.includes('today')) extra.push(tr(locale, 'LIST.QUALIFIER.today'));
  if (spec.currency) extra.push(spec.currency);
  if (spec.payee) extra.push(spec.payee.name);
  return [tr(locale, `LIST.TITLE.${base}`), ...extra].join(' · ');
}

const EN_WORD: Partial<Record<ListWord, string>> = { pending_approval: 'pending' };
const ZH_WORD: Partial<Record<ListWord, string>> = { mine: '我的', today: '今天', todo: '待我审批', all: '全部' };

/** The exact text to type for a page of this list, in the reader's language so it can be copied. */
export function listCommand(locale: Locale, spec: ListSpec, page?: number): string {
  const zh = locale === 'zh-CN';
  const words = spec.words.map((w) => (zh ? ZH_WORD[w] ?? tr(locale, `STATUS.${w}`) : EN_WORD[w] ?? w));
  if (spec.currency) words.push(spec.currency);
  if (spec.payee) words.push(/\s/.test(spec.payee.typed) ? `"${spec.payee.typed}"` : spec.payee.typed);
  if (page && page > 1) words.push(zh ? `第${page}页` : `page ${page}`);
  return [zh ? '/付款 列表' : '/pay list', ...words].join(' ');
}

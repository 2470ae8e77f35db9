import type { BankAccount } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import { maskAccountNumber } from '../../src/domain/mask';
import { Money, addMoney, formatMoney, money } from '../../src/domain/money';
import { tr } from '../command.messages';
import type { ListView } from '../view/view';
import { formatDateTime } from './format';

/** Each account with its balance and as-of time, then one total per currency (never across currencies). */
export function balanceListView(accounts: readonly BankAccount[], locale: Locale, timeZone?: string): ListView {
  const totals = new Map<string, Money>();
  for (const a of accounts) totals.set(a.balance.currency, addMoney(totals.get(a.balance.currency) ?? money(0n, a.balance.currency), a.balance));
  const footer = [...totals.entries()]
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([currency, sum]) => tr(locale, 'BALANCE.TOTAL', { currency, amount: formatMoney(sum, locale) }));
  return {
    kind: 'list',
    title: tr(locale, 'BALANCE.TITLE'),
    items: accounts.map((a) => {
      const low = a.lowBalanceThreshold && a.balance.minor < a.lowBalanceThreshold.minor;
      return {
        key: `account:${a.id}`,
        title: tr(locale, 'BALANCE.ITEM_TITLE', { name: a.name, balance: formatMoney(a.balance, locale) }),
        subtitle: tr(locale, 'BALANCE.ITEM_SUBTITLE', {
          bank: a.bankName,
          number: maskAccountNumber(a.accountNumber),
          at: formatDateTime(a.balanceAsOf, timeZone),
        }),
        ...(low ? { status: { label: tr(locale, 'BALANCE.LOW'), tone: 'warning' as const } } : {}),
      };
    }),
    ...(footer.length ? { footer: footer.join(' · ') } : {}),
    empty: tr(locale, 'BALANCE.EMPTY'),
  };
}

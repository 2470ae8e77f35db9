import type { BankAccount } from '../../src/domain/directory';
import { isKnownCurrency } from '../../src/domain/money';
import { directoryQuery } from '../../src/services/queries/directory.query';
import type { CommandContext } from '../command-context';
import type { BalanceCommand } from '../parse/command.schema';
import { matchByName } from '../resolve/match-by-name';
import type { Reply } from '../view/view';
import { balanceListView } from '../views/balance.view';
import { refusalView } from '../views/message.view';

/**
 * `/balance [account | bank | currency]`. A filter is tried as a currency code,
 * then as an account (code, name, alias), then as a bank name; an ambiguous
 * account name simply shows every account it matches, since reading is harmless.
 */
export async function handleBalance(ctx: CommandContext, cmd: BalanceCommand): Promise<Reply> {
  const accounts = await directoryQuery.accounts(ctx.deps.db);
  const shown = cmd.filter ? filterAccounts(accounts, cmd.filter) : accounts;
  if (cmd.filter && shown.length === 0)
    return { visibility: 'ephemeral', view: refusalView(ctx.locale, { code: 'COMMAND.NO_BALANCE_MATCH', params: { filter: cmd.filter } }) };
  return { visibility: 'ephemeral', view: balanceListView(shown, ctx.locale, ctx.timeZone) };
}

function filterAccounts(accounts: BankAccount[], filter: string): BankAccount[] {
  const code = filter.trim().toUpperCase();
  if (isKnownCurrency(code)) return accounts.filter((a) => a.currency === code);
  const byName = matchByName(accounts, filter);
  if (byName.kind === 'one') return [byName.item];
  if (byName.kind === 'many') return byName.items;
  const banks = accounts.map((a) => ({ code: a.bankName, name: a.bankName, aliases: a.bankBic ? [a.bankBic] : [], account: a }));
  const byBank = matchByName(banks, filter);
  if (byBank.kind === 'one') return [byBank.item.account];
  return byBank.kind === 'many' ? byBank.items.map((b) => b.account) : [];
}

/**
 * The `/pay new` modal: building it from the directory and reading a submission back.
 * A valid submission becomes the same `/pay new …` text a person could type, so the
 * modal and the command line can never disagree on what a payment request means.
 */
import type { Locale } from '../../src/domain/locale';
import { parseMoney, toDecimalString } from '../../src/domain/money';
import { PURPOSE_MAX } from '../../src/domain/payment/payment';
import { Block, LIMITS, fitText } from './block-kit-limits';
import { st } from './slack.messages';

export const NEW_PAYMENT_CALLBACK = 'payment.new';

export interface AccountChoice {
  code: string;
  name: string;
  currency: string;
}
export interface PayeeChoice {
  code: string;
  name: string;
}

/** Carried through the modal so the result can be answered where `/pay new` was typed. */
export interface NewPaymentMeta {
  responseUrl?: string;
  channel?: string;
}

const text = (s: string, limit: number) => ({ type: 'plain_text', text: fitText(s, limit), emoji: true });
const option = (value: string, label: string) => ({ text: text(label, LIMITS.optionText), value });

export function newPaymentModal(input: {
  locale: Locale;
  accounts: AccountChoice[];
  payees: PayeeChoice[];
  meta: NewPaymentMeta;
}): Record<string, any> {
  const { locale: l } = input;
  // A static select holds 100 options; bigger directories need an external select (not yet built).
  const accounts = input.accounts.slice(0, LIMITS.optionsPerSelect);
  const payees = input.payees.slice(0, LIMITS.optionsPerSelect);
  const currencies = [...new Set(accounts.map((a) => a.currency))];
  const select = (blockId: string, label: string, options: ReturnType<typeof option>[]): Block => {
    const element: Record<string, any> = { type: 'static_select', action_id: 'value', placeholder: text(st(l, 'SLACK.NEW.PICK'), 150), options };
    // With one choice there is nothing to choose; preselect it.
    if (options.length === 1) element.initial_option = options[0];
    return { type: 'input', block_id: blockId, label: text(label, 2000), element };
  };
  const blocks: Block[] = [
    select('account', st(l, 'SLACK.NEW.ACCOUNT'), accounts.map((a) => option(a.code, `${a.name} · ${a.currency}`))),
    select('payee', st(l, 'SLACK.NEW.PAYEE'), payees.map((p) => option(p.code, p.name))),
    {
      type: 'input',
      block_id: 'amount',
      label: text(st(l, 'SLACK.NEW.AMOUNT'), 2000),
      element: { type: 'plain_text_input', action_id: 'value', placeholder: text(st(l, 'SLACK.NEW.AMOUNT_HINT'), 150), max_length: 40 },
    },
    select('currency', st(l, 'SLACK.NEW.CURRENCY'), currencies.map((c) => option(c, c))),
    {
      type: 'input',
      block_id: 'purpose',
      label: text(st(l, 'SLACK.NEW.PURPOSE'), 2000),
      hint: text(st(l, 'SLACK.NEW.PURPOSE_HINT'), 2000),
      element: { type: 'plain_text_input', action_id: 'value', max_length: PURPOSE_MAX },
    },
    { type: 'input', block_id: 'date', optional: true, label: text(st(l, 'SLACK.NEW.DATE'), 2000), element: { type: 'datepicker', action_id: 'value' } },
  ];
  return {
    type: 'modal',
    callback_id: NEW_PAYMENT_CALLBACK,
    private_metadata: JSON.stringify(input.meta),
    title: text(st(l, 'SLACK.NEW.TITLE'), LIMITS.modalTitle),
    submit: text(st(l, 'SLACK.NEW.SUBMIT'), LIMITS.modalTitle),
    close: text(st(l, 'SLACK.NEW.CANCEL'), LIMITS.modalTitle),
    blocks,
  };
}

export type Submission =
  | { ok: true; text: string }
  | { ok: false; errors: Record<string, string> };

/** Slack's `view.state.values` reduced to what this modal asked for. */
export function readValues(values: Record<string, Record<string, any>>): Record<string, string | undefined> {
  const get = (block: string) => {
    const v = values?.[block]?.value;
    return v?.selected_option?.value ?? v?.selected_date ?? v?.value ?? undefined;
  };
  return { account: get('account'), payee: get('payee'), amount: get('amount'), currency: get('currency'), purpose: get('purpose'), date: get('date') };
}

/**
 * Checks a submission field by field (Slack shows each error under its input), then
 * spells it as a `/pay new` command with every free-text part quoted.
 */
export function readSubmission(input: {
  values: Record<string, string | undefined>;
  accounts: AccountChoice[];
  locale: Locale;
  today: string;
}): Submission {
  const { values: v, locale: l } = input;
  const errors: Record<string, string> = {};
  const required = (k: string) => {
    if (!v[k]?.trim()) errors[k] = st(l, 'SLACK.ERR.REQUIRED');
    return v[k]?.trim() ?? '';
  };
  const accountCode = required('account');
  const payeeCode = required('payee');
  const currency = required('currency');
  const amountText = required('amount');
  const purpose = required('purpose');

  const account = input.accounts.find((a) => a.code === accountCode);
  if (accountCode && !account) errors.account = st(l, 'PAYMENT.UNKNOWN_ACCOUNT');
  if (account && currency && account.currency !== currency)
    errors.currency = st(l, 'SLACK.ERR.CURRENCY_MISMATCH', { currency: account.currency });

  let amount = '';
  if (amountText && currency) {
    const m = parseMoney(amountText, currency);
    if (!m.ok) errors.amount = st(l, m.code, m.params);
    else if (m.value.currency !== currency) errors.amount = st(l, 'MONEY.CURRENCY_CONFLICT', { first: m.value.currency, second: currency });
    else amount = `${m.value.currency} ${toDecimalString(m.value)}`;
  }
  if (purpose.length > PURPOSE_MAX) errors.purpose = st(l, 'PAYMENT.PURPOSE_TOO_LONG', { max: PURPOSE_MAX });

  const date = v.date?.trim();
  if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) errors.date = st(l, 'SLACK.ERR.DATE_FORMAT');
  else if (date && date < input.today) errors.date = st(l, 'SLACK.ERR.DATE_PAST');

  if (Object.keys(errors).length) return { ok: false, errors };
  const parts = ['/pay new', amount, 'to', quote(payeeCode), 'for', quote(purpose), 'from', quote(accountCode)];
  if (date) parts.push('on', date);
  return { ok: true, text: parts.join(' ') };
}

/** Quotes with a pair the text does not contain, so clause words inside it stay literal. */
export function quote(s: string): string {
  const pairs: [string, string][] = [['"', '"'], ['「', '」'], ['“', '”'], ["'", "'"]];
  const pair = pairs.find(([open, close]) => !s.includes(open) && !s.includes(close));
  // Only reachable when the text holds every quote kind; strip one kind rather than mis-parse.
  return pair ? `${pair[0]}${s}${pair[1]}` : `"${s.replace(/"/g, '')}"`;
}

/** Today's date (YYYY-MM-DD) in the company time zone: a date picker is a calendar day. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

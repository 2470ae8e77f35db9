import { Catalog } from '../locale';

/**
 * Placeholders: TOO_MANY_DECIMALS {currency} {decimals}; UNKNOWN_CURRENCY {currency};
 * CURRENCY_CONFLICT {first} {second}. Examples use the formats parseMoney accepts,
 * so a user can copy them.
 */
export const moneyMessages: Catalog = {
  en: {
    'MONEY.EMPTY': 'Please enter an amount, e.g. CNY 12,345.67.',
    'MONEY.INVALID_FORMAT':
      "That doesn't look like an amount. Try e.g. 12,345.67 CNY, ¥500, USD 12.50 or 1.2万.",
    'MONEY.NEGATIVE': 'Payment amounts must be positive; enter the amount without a minus sign.',
    'MONEY.ZERO': 'The amount cannot be zero.',
    'MONEY.TOO_MANY_DECIMALS': '{currency} amounts have at most {decimals} decimal places.',
    'MONEY.AMBIGUOUS_SEPARATORS':
      'The separators in that amount could be read two ways. Use a dot for decimals and commas only between groups of three digits, e.g. 1,234.56.',
    'MONEY.UNKNOWN_CURRENCY': '{currency} is not a currency paydesk can pay in.',
    'MONEY.TOO_LARGE': 'That amount is too large to be a real payment. Please check the number of digits.',
    'MONEY.CURRENCY_REQUIRED': 'Please say which currency, e.g. CNY 500 or USD 12.50.',
    'MONEY.CURRENCY_CONFLICT': 'The amount names two currencies ({first} and {second}). Please use only one.',
  },
  'zh-CN': {
    'MONEY.EMPTY': '请输入金额，例如 CNY 12,345.67。',
    'MONEY.INVALID_FORMAT': '无法识别该金额。请参考以下写法：12,345.67 CNY、¥500、USD 12.50 或 1.2万。',
    'MONEY.NEGATIVE': '付款金额必须为正数，请去掉负号后重新输入。',
    'MONEY.ZERO': '金额不能为零。',
    'MONEY.TOO_MANY_DECIMALS': '{currency} 金额最多保留 {decimals} 位小数。',
    'MONEY.AMBIGUOUS_SEPARATORS':
      '金额中的分隔符可能有两种理解。请用小数点“.”表示小数，逗号只用于每三位数字分组，例如 1,234.56。',
    'MONEY.UNKNOWN_CURRENCY': '暂不支持以 {currency} 付款。',
    'MONEY.TOO_LARGE': '金额过大，不像是真实的付款，请检查位数。',
    'MONEY.CURRENCY_REQUIRED': '请注明币种，例如 CNY 500 或 USD 12.50。',
    'MONEY.CURRENCY_CONFLICT': '金额中同时出现了两种币种（{first} 和 {second}），请只保留一种。',
  },
};

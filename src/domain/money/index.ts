export type { CurrencyCode, CurrencyInfo } from './currency';
export { SUPPORTED_CURRENCIES, currencyInfo, isKnownCurrency, requireCurrency } from './currency';
export type { Money, MoneyRefusalCode } from './money';
export {
  MAX_MINOR,
  MONEY,
  addMoney,
  compareMoney,
  fromDecimalString,
  isZero,
  money,
  subtractMoney,
  toDecimalString,
} from './money';
export { parseMoney } from './parse-money';
export { formatMoney, toChineseCapital } from './format-money';
export { moneyMessages } from './money.messages';

import { registerCatalog, t } from '../i18n';
import { Catalog, Locale } from '../locale';
import { PaymentWarning } from '../payment/payment';

/**
 * One sentence per rule code. Cards print `sentence (detail)`, where the detail
 * carries the language-neutral figures (amounts with ISO codes, dates, references).
 */
export const anomalyMessages: Catalog = {
  en: {
    'ANOMALY.DUPLICATE': 'Possible duplicate: an earlier payment has the same payee and amount, or the same invoice reference',
    'ANOMALY.UNUSUAL_AMOUNT': 'Much larger than usual for this payee (compared with the median of its past payments)',
    'ANOMALY.NEW_PAYEE': 'New payee: bank details unverified, still cooling off, or never paid before',
    'ANOMALY.CHANGED_BANK_DETAILS': 'The payee’s bank details changed recently',
    'ANOMALY.VELOCITY': 'Unusually many payments, or too much money, from this account within the hour',
    'ANOMALY.OUTSIDE_BUSINESS_HOURS': 'Requested outside business hours or on a non-working day',
    'ANOMALY.ROUND_AMOUNT': 'A large round amount',
    'ANOMALY.SCHEDULE_ABOVE_TERMS': 'This scheduled run is above the amount its schedule was approved for',
    'ANOMALY.SCHEDULE_BALANCE_TOO_LOW': 'The account balance does not cover this scheduled run',
    'ANOMALY.BLOCKED_BEFORE_SUBMIT': 'Stopped before it was sent to the bank: {reasons}',
  },
  'zh-CN': {
    'ANOMALY.DUPLICATE': '疑似重复付款：已有相同收款方、相同金额或相同发票号的付款',
    'ANOMALY.UNUSUAL_AMOUNT': '金额远高于该收款方以往付款（与历史付款中位数相比）',
    'ANOMALY.NEW_PAYEE': '新收款方：银行信息未核实、仍在冷静期内或从未付过款',
    'ANOMALY.CHANGED_BANK_DETAILS': '收款方银行账户信息近期有变更',
    'ANOMALY.VELOCITY': '一小时内该账户付款笔数或金额异常偏高',
    'ANOMALY.OUTSIDE_BUSINESS_HOURS': '在非工作时间或非工作日发起',
    'ANOMALY.ROUND_AMOUNT': '大额整数金额',
    'ANOMALY.SCHEDULE_ABOVE_TERMS': '本期定期付款金额超出该计划已批准的金额',
    'ANOMALY.SCHEDULE_BALANCE_TOO_LOW': '账户余额不足以支付本期定期付款',
    'ANOMALY.BLOCKED_BEFORE_SUBMIT': '提交银行前已拦截：{reasons}',
  },
};

registerCatalog(anomalyMessages);

/** A warning as one line in the reader's language, the same way the payment card prints it. */
export function warningText(locale: Locale, w: PaymentWarning): string {
  const sentence = t(locale, w.code);
  return w.detail ? `${sentence} (${w.detail})` : sentence;
}

import { registerCatalog, t } from '../../src/domain/i18n';
import type { Catalog, Locale } from '../../src/domain/locale';

/** Words only the Slack surface shows: modal chrome, App Home headings, field errors. */
export const slackMessages: Catalog = {
  en: {
    'SLACK.NEW.TITLE': 'New payment',
    'SLACK.NEW.SUBMIT': 'Request',
    'SLACK.NEW.CANCEL': 'Cancel',
    'SLACK.NEW.ACCOUNT': 'Pay from',
    'SLACK.NEW.PAYEE': 'Pay to',
    'SLACK.NEW.AMOUNT': 'Amount',
    'SLACK.NEW.AMOUNT_HINT': 'e.g. 12,345.67 or 1.2万',
    'SLACK.NEW.CURRENCY': 'Currency',
    'SLACK.NEW.PURPOSE': 'Purpose',
    'SLACK.NEW.PURPOSE_HINT': 'What is it for? (shown to approvers and sent to the bank)',
    'SLACK.NEW.DATE': 'Execution date',
    'SLACK.NEW.NO_ACCOUNTS': 'There are no company accounts or payees in the directory yet; ask an admin to add them.',
    'SLACK.NEW.PICK': 'Choose…',
    'SLACK.ERR.REQUIRED': 'Required.',
    'SLACK.ERR.DATE_PAST': 'The date cannot be in the past.',
    'SLACK.ERR.DATE_FORMAT': 'Use a date like 2026-12-31.',
    'SLACK.ERR.CURRENCY_MISMATCH': 'This account holds {currency}.',
    'SLACK.ERR.FAILED': 'Something went wrong; nothing was changed. Please try again.',
    'SLACK.REJECT.TITLE': 'Reject payment',
    'SLACK.REJECT.LABEL': 'Reason',
    'SLACK.REJECT.SUBMIT': 'Reject',
    'SLACK.ALERT.ACK': 'Acknowledge',
    'SLACK.HOME.PENDING': 'Waiting for my approval',
    'SLACK.HOME.PENDING_EMPTY': 'Nothing is waiting for you.',
    'SLACK.HOME.RECENT': 'My recent requests',
    'SLACK.HOME.RECENT_EMPTY': 'You have not requested any payments yet.',
    'SLACK.HOME.MORE': '{count} more waiting: use /pay list to see them all.',
    'SLACK.HOME.HELP': 'Type /pay help in any channel to see what you can do.',
  },
  'zh-CN': {
    'SLACK.NEW.TITLE': '新建付款',
    'SLACK.NEW.SUBMIT': '提交申请',
    'SLACK.NEW.CANCEL': '取消',
    'SLACK.NEW.ACCOUNT': '付款账户',
    'SLACK.NEW.PAYEE': '收款方',
    'SLACK.NEW.AMOUNT': '金额',
    'SLACK.NEW.AMOUNT_HINT': '例如 12,345.67 或 1.2万',
    'SLACK.NEW.CURRENCY': '币种',
    'SLACK.NEW.PURPOSE': '用途',
    'SLACK.NEW.PURPOSE_HINT': '付款用途（审批人可见，并随报文发送给银行）',
    'SLACK.NEW.DATE': '执行日期',
    'SLACK.NEW.NO_ACCOUNTS': '通讯录中还没有公司账户或收款方，请联系管理员添加。',
    'SLACK.NEW.PICK': '请选择…',
    'SLACK.ERR.REQUIRED': '必填。',
    'SLACK.ERR.DATE_PAST': '日期不能早于今天。',
    'SLACK.ERR.DATE_FORMAT': '请使用 2026-12-31 这样的日期。',
    'SLACK.ERR.CURRENCY_MISMATCH': '该账户的币种是 {currency}。',
    'SLACK.ERR.FAILED': '处理出错，未做任何更改，请重试。',
    'SLACK.REJECT.TITLE': '驳回付款',
    'SLACK.REJECT.LABEL': '驳回原因',
    'SLACK.REJECT.SUBMIT': '驳回',
    'SLACK.ALERT.ACK': '确认',
    'SLACK.HOME.PENDING': '待我审批',
    'SLACK.HOME.PENDING_EMPTY': '没有待您审批的付款。',
    'SLACK.HOME.RECENT': '我最近的申请',
    'SLACK.HOME.RECENT_EMPTY': '您还没有发起过付款。',
    'SLACK.HOME.MORE': '还有 {count} 笔待审批：输入 /pay list 查看全部。',
    'SLACK.HOME.HELP': '在任意频道输入 /pay help 查看可用的命令。',
  },
};

// Registered on first import, so every module that words something through `st` has the catalog.
registerCatalog(slackMessages);

/** `t` with this adapter's catalog guaranteed present. */
export const st = (locale: Locale, code: string, params?: Record<string, string | number>): string => t(locale, code, params);

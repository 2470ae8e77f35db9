import { coreMessages } from '../../src/domain/core.messages';
import { PAYMENT_STATUSES, PaymentStatus } from '../../src/domain/payment/payment-status';

/**
 * The words people type, English and Chinese side by side. Both languages are
 * accepted in every command (`/pay 批准 …` works), because people switch input
 * methods mid-sentence and a refusal over the language of a keyword helps nobody.
 * Keys are lower-case; the parser lower-cases what it compares.
 */
export type TopCommand = 'pay' | 'balance' | 'help';

export const TOP_COMMANDS: ReadonlyMap<string, TopCommand> = new Map([
  ['pay', 'pay'],
  ['付款', 'pay'],
  ['balance', 'balance'],
  ['余额', 'balance'],
  ['help', 'help'],
  ['帮助', 'help'],
]);

export type SubCommand = 'new' | 'show' | 'list' | 'approve' | 'reject' | 'cancel' | 'help' | 'balance' | 'whoami' | 'link';

export const SUB_COMMANDS: ReadonlyMap<string, SubCommand> = new Map([
  ['new', 'new'],
  ['create', 'new'],
  ['新建', 'new'],
  ['创建', 'new'],
  ['show', 'show'],
  ['view', 'show'],
  ['查看', 'show'],
  ['list', 'list'],
  ['ls', 'list'],
  ['列表', 'list'],
  ['approve', 'approve'],
  ['批准', 'approve'],
  ['同意', 'approve'],
  ['reject', 'reject'],
  ['驳回', 'reject'],
  ['拒绝', 'reject'],
  ['cancel', 'cancel'],
  ['撤销', 'cancel'],
  ['取消', 'cancel'],
  ['help', 'help'],
  ['帮助', 'help'],
  ['balance', 'balance'],
  ['余额', 'balance'],
  ['whoami', 'whoami'],
  ['我是谁', 'whoami'],
  ['link', 'link'],
  ['绑定', 'link'],
  ['关联', 'link'],
]);

/** Clause words of `/pay new`. */
export type Clause = 'to' | 'for' | 'from' | 'on';

export const CLAUSES: ReadonlyMap<string, Clause> = new Map([
  ['to', 'to'],
  ['给', 'to'],
  ['付给', 'to'],
  ['for', 'for'],
  ['用途', 'for'],
  ['用于', 'for'],
  ['from', 'from'],
  ['从', 'from'],
  ['on', 'on'],
  ['日期', 'on'],
  ['于', 'on'],
]);

/** One word of `/pay list …`; several combine (`mine pending today`). */
export type ListWord = 'all' | 'mine' | 'today' | 'todo' | PaymentStatus;

// Status labels come from the core catalog so `/付款 列表 已驳回` always matches what cards show.
const zhStatusLabels = PAYMENT_STATUSES.map((s): [string, ListWord] => [coreMessages['zh-CN'][`STATUS.${s}`], s]);
const enStatusLabels = PAYMENT_STATUSES.map((s): [string, ListWord] => [coreMessages.en[`STATUS.${s}`].toLowerCase(), s]);

export const LIST_WORDS: ReadonlyMap<string, ListWord> = new Map<string, ListWord>([
  ...PAYMENT_STATUSES.map((s): [string, ListWord] => [s, s]),
  ...enStatusLabels,
  ...zhStatusLabels,
  ['all', 'all'],
  ['全部', 'all'],
  ['pending', 'pending_approval'],
  ['待审', 'pending_approval'],
  ['mine', 'mine'],
  ['my', 'mine'],
  ['我的', 'mine'],
  ['today', 'today'],
  ['今天', 'today'],
  ['今日', 'today'],
  ['todo', 'todo'],
  ['waiting', 'todo'],
  ['待我审批', 'todo'],
  ['待办', 'todo'],
  ['我的待办', 'todo'],
]);

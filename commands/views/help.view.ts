import type { User } from '../../src/domain/directory';
import { mayRequest } from '../../src/domain/directory';
import type { Locale } from '../../src/domain/locale';
import '../alerts/alerts.messages';
import '../schedules/schedule-command.messages';
import { tr } from '../command.messages';
import { MessageView, message } from '../view/view';

/** One help line: the usage synopsis (message key) and what it does (message key). */
type Entry = [usage: string, what: string];

interface Section {
  title: string;
  shown: (u: User) => boolean;
  entries: Entry[];
  /** Commands to copy; each one succeeds on the demo company (test/integration/help-examples.test.ts). */
  examples: Record<Locale, string[]>;
}

const VOTES = (u: User) => u.roles.includes('approver') || u.roles.includes('treasurer');

/**
 * Everything paydesk understands, grouped by who may use it, so a requester is
 * not shown buttons they cannot press and an admin finds `link` and `holidays`.
 */
export const HELP_SECTIONS: Section[] = [
  {
    title: 'HELP.SECTION.everyone',
    shown: () => true,
    entries: [
      ['USAGE.show', 'HELP.show'],
      ['USAGE.list', 'HELP.list'],
      ['USAGE.balance', 'HELP.balance'],
      ['USAGE.alerts', 'HELP.alerts'],
      ['SCHEDULE_USAGE.list', 'HELP.schedule_list'],
      ['USAGE.whoami', 'HELP.whoami'],
    ],
    examples: { en: ['/pay list today', '/balance cny', '/pay whoami'], 'zh-CN': ['/付款 列表 今天', '/余额 招行', '/付款 我是谁'] },
  },
  {
    title: 'HELP.SECTION.request',
    shown: mayRequest,
    entries: [
      ['USAGE.new', 'HELP.new'],
      ['USAGE.cancel', 'HELP.cancel'],
      ['SCHEDULE_USAGE.new', 'HELP.schedule_new'],
    ],
    examples: {
      en: ['/pay new ¥5,000 to acme for invoice 7', '/付款 新建 5000元给阿克米用途货款', '/pay list mine'],
      'zh-CN': ['/付款 新建 5000元给阿克米用途货款从招行', '/付款 新建 给 阿克米 3000元 用途 办公用品', '/pay new ¥5,000 to acme for invoice 7'],
    },
  },
  {
    title: 'HELP.SECTION.approve',
    shown: VOTES,
    entries: [
      ['USAGE.approve', 'HELP.approve'],
      ['USAGE.reject', 'HELP.reject'],
      ['SCHEDULE_USAGE.approve', 'HELP.schedule_approve'],
    ],
    examples: { en: ['/pay list todo', '/pay alerts'], 'zh-CN': ['/付款 列表 待我审批', '/付款 告警'] },
  },
  {
    title: 'HELP.SECTION.admin',
    shown: (u) => u.roles.includes('admin'),
    entries: [
      ['USAGE.link', 'HELP.link'],
      ['SCHEDULE_USAGE.holidays', 'HELP.holidays'],
      ['USAGE.token', 'HELP.token'],
    ],
    examples: { en: ['/pay holidays', '/pay token list'], 'zh-CN': ['/付款 节假日', '/付款 令牌 列表'] },
  },
];

/** The sections this person sees, each command with one line of what it does, then examples to copy. */
export function helpView(locale: Locale, user: User): MessageView {
  const lines: string[] = [];
  const examples: string[] = [];
  for (const s of HELP_SECTIONS.filter((x) => x.shown(user))) {
    lines.push(`▸ ${tr(locale, s.title)}`);
    for (const [usage, what] of s.entries) lines.push(`${tr(locale, usage)} — ${tr(locale, what)}`);
    examples.push(...s.examples[locale]);
  }
  lines.push(`${tr(locale, 'HELP.EXAMPLES')} ${examples.join(' · ')}`);
  return message('info', tr(locale, 'HELP.TITLE'), lines);
}

/** The example commands a help text shows, as a test reads them back from the rendered lines. */
export const examplesIn = (view: MessageView): string[] =>
  (view.detail ?? []).at(-1)!.replace(/^[^/]*/, '').split(' · ').map((s) => s.trim());

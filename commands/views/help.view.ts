import type { Locale } from '../../src/domain/locale';
import { tr } from '../command.messages';
import type { UsageKey } from '../parse/command.schema';
import { MessageView, message } from '../view/view';

const TOPICS: Exclude<UsageKey, 'pay'>[] = ['new', 'show', 'list', 'approve', 'reject', 'cancel', 'balance'];

/** Every command with one line of what it does, then examples to copy. */
export function helpView(locale: Locale): MessageView {
  const lines = TOPICS.map((k) => `${tr(locale, `USAGE.${k}`)} — ${tr(locale, `HELP.${k}`)}`);
  return message('info', tr(locale, 'HELP.TITLE'), [...lines, tr(locale, 'HELP.EXAMPLES')]);
}

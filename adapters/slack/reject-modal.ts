import type { Locale } from '../../src/domain/locale';
import { LIMITS, fitText } from './block-kit-limits';
import { st } from './slack.messages';

export const REJECT_CALLBACK = 'payment.reject.reason';
export const REASON_MAX = 500;

/** Where the tapped card lives, so the submission can update it in place. */
export interface RejectMeta {
  /** The button value (`{"id","v"}`), passed on to the command layer untouched. */
  value: string;
  actionId: string;
  channel?: string;
  ts?: string;
  /** Set when the tap came from App Home (no message to update; the home is republished). */
  home?: boolean;
  responseUrl?: string;
}

const text = (s: string, limit: number) => ({ type: 'plain_text', text: fitText(s, limit), emoji: true });

/** Slack cannot ask for text inline on a message, so Reject opens this modal first. */
export function rejectModal(locale: Locale, meta: RejectMeta, title?: string): Record<string, any> {
  return {
    type: 'modal',
    callback_id: REJECT_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: text(st(locale, 'SLACK.REJECT.TITLE'), LIMITS.modalTitle),
    submit: text(st(locale, 'SLACK.REJECT.SUBMIT'), LIMITS.modalTitle),
    close: text(st(locale, 'SLACK.NEW.CANCEL'), LIMITS.modalTitle),
    blocks: [
      ...(title ? [{ type: 'section', text: text(title, LIMITS.sectionText) }] : []),
      {
        type: 'input',
        block_id: 'reason',
        label: text(st(locale, 'SLACK.REJECT.LABEL'), 2000),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: REASON_MAX },
      },
    ],
  };
}

export function readReason(values: Record<string, Record<string, any>>): string {
  return String(values?.reason?.value?.value ?? '').trim();
}

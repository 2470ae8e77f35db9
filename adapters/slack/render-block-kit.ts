/**
 * The neutral View → Slack Block Kit. Text arrives already localised; this file only lays
 * it out and keeps every field inside Slack's limits, because one over-long purpose would
 * otherwise make Slack refuse the whole approval card.
 */
import type { CardView, ListView, MessageView, Tone, View, ViewButton } from '../../commands/view/view';
import { Block, LIMITS, escapeMrkdwn, fitMrkdwn, fitText } from './block-kit-limits';

export interface SlackMessage {
  blocks: Block[];
  /** Notification and screen-reader fallback; Slack shows it where blocks cannot be shown. */
  text: string;
}

const TONE_EMOJI: Record<Tone, string> = {
  neutral: '',
  good: ':white_check_mark: ',
  warning: ':warning: ',
  danger: ':no_entry: ',
  info: ':information_source: ',
};

const plain = (text: string, limit: number) => ({ type: 'plain_text', text: fitText(text, limit), emoji: true });
const mrkdwn = (raw: string, limit: number = LIMITS.sectionText) => ({ type: 'mrkdwn', text: fitMrkdwn(raw, limit) });
/** For text we composed ourselves around escaped user text (bold markers, emoji). */
const composed = (text: string) => ({ type: 'mrkdwn', text });

export function renderView(view: View, opts: { maxBlocks?: number } = {}): SlackMessage {
  const max = opts.maxBlocks ?? LIMITS.blocksPerMessage;
  switch (view.kind) {
    case 'card':
      return { blocks: cardBlocks(view, max), text: cardText(view) };
    case 'list':
      return { blocks: listBlocks(view, max), text: fitText(view.title, LIMITS.fallbackText) };
    case 'message':
      return { blocks: messageBlocks(view), text: fitText(view.text, LIMITS.fallbackText) };
  }
}

/** One line for notifications: "Payment PAY-2026-000123 · Pending approval · ¥1,234.00". */
function cardText(c: CardView): string {
  return fitText([c.title, c.status?.label, c.amount?.text].filter(Boolean).join(' · '), LIMITS.fallbackText);
}

export function cardBlocks(c: CardView, maxBlocks: number = LIMITS.blocksPerMessage): Block[] {
  const head: Block[] = [{ type: 'header', text: plain(c.title, LIMITS.headerText) }];
  const lines: string[] = [];
  if (c.status) lines.push(`${TONE_EMOJI[c.status.tone]}*${fitMrkdwn(c.status.label, 200)}*`);
  if (c.amount) {
    lines.push(`*${fitMrkdwn(c.amount.text, 200)}*`);
    if (c.amount.capital) lines.push(fitMrkdwn(c.amount.capital, 300));
  }
  if (lines.length) head.push({ type: 'section', text: composed(lines.join('\n')) });

  const body: Block[] = [];
  for (let i = 0; i < c.fields.length; i += LIMITS.fieldsPerSection) {
    const chunk = c.fields.slice(i, i + LIMITS.fieldsPerSection);
    body.push({
      type: 'section',
      fields: chunk.map((f) => composed(`*${fitMrkdwn(f.label, 100)}*\n${fitMrkdwn(f.value, LIMITS.sectionField - 110)}`)),
    });
  }
  if (c.warnings.length) body.push({ type: 'section', text: mrkdwn(c.warnings.map((w) => `⚠️ ${w}`).join('\n')) });
  if (c.context.length) body.push(contextBlock(c.context));

  // Buttons come last and must survive any cut, or a long card could lose Approve/Reject.
  const tail: Block[] = c.buttons.length ? [actionsBlock(c.buttons, c.key)] : [];
  const room = maxBlocks - head.length - tail.length;
  return [...head, ...body.slice(0, Math.max(room, 0)), ...tail];
}

function contextBlock(lines: string[]): Block {
  // Up to 9 lines as their own elements; anything beyond is folded into the last one.
  const shown = lines.length <= LIMITS.contextElements ? lines : [...lines.slice(0, 9), lines.slice(9).join(' · ')];
  return { type: 'context', elements: shown.map((l) => mrkdwn(l, LIMITS.contextText)) };
}

function actionsBlock(buttons: ViewButton[], key?: string): Block {
  const block: Block = { type: 'actions', elements: buttons.slice(0, LIMITS.elementsPerActions).map(button) };
  // Lets an interaction name its card even when the message text changed since.
  if (key && key.length + 8 <= LIMITS.blockId) block.block_id = `actions:${key}`;
  return block;
}

export function button(b: ViewButton): Block {
  // action_id and value carry routing data: cutting them would silently break the tap, so refuse loudly.
  if (b.actionId.length > LIMITS.actionId) throw new Error(`action_id longer than ${LIMITS.actionId}: ${b.actionId.slice(0, 40)}…`);
  if (b.value.length > LIMITS.buttonValue) throw new Error(`button value longer than ${LIMITS.buttonValue} for ${b.actionId}`);
  const el: Block = { type: 'button', action_id: b.actionId, text: plain(b.label, LIMITS.buttonText), value: b.value };
  if (b.style) el.style = b.style;
  return el;
}

function listBlocks(l: ListView, maxBlocks: number): Block[] {
  const blocks: Block[] = [{ type: 'header', text: plain(l.title, LIMITS.headerText) }];
  if (l.items.length === 0) {
    blocks.push({ type: 'section', text: mrkdwn(l.empty) });
  } else {
    // Header + footer + the "more" line must still fit.
    const room = maxBlocks - 1 - (l.footer ? 1 : 0);
    const shown = l.items.length <= room ? l.items : l.items.slice(0, room - 1);
    for (const item of shown) {
      const status = item.status ? ` · ${TONE_EMOJI[item.status.tone]}${fitMrkdwn(item.status.label, 100)}` : '';
      blocks.push({
        type: 'section',
        text: composed(`*${fitMrkdwn(item.title, 300)}*${status}\n${fitMrkdwn(item.subtitle, LIMITS.sectionText - 600)}`),
      });
    }
    if (shown.length < l.items.length) blocks.push({ type: 'context', elements: [mrkdwn(`+${l.items.length - shown.length} …`)] });
  }
  if (l.footer) blocks.push({ type: 'context', elements: [mrkdwn(l.footer, LIMITS.contextText)] });
  return blocks;
}

function messageBlocks(m: MessageView): Block[] {
  const blocks: Block[] = [{ type: 'section', text: composed(TONE_EMOJI[m.tone] + fitMrkdwn(m.text, LIMITS.sectionText - 40)) }];
  if (m.detail?.length) blocks.push({ type: 'section', text: composed('```' + fitMrkdwn(m.detail.join('\n'), LIMITS.sectionText - 10) + '```') });
  return blocks;
}

export { escapeMrkdwn };

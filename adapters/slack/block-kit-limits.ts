/**
 * Slack rejects a whole message (`invalid_blocks`) when one field is too long, so the
 * renderer cuts text to these limits itself and the tests check every rendered view
 * against them. Numbers from https://docs.slack.dev/reference/block-kit.
 */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  sectionField: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  elementsPerActions: 25,
  modalTitle: 24,
  optionText: 75,
  optionsPerSelect: 100,
  fallbackText: 3000,
} as const;

export type Block = Record<string, any>;

const ELLIPSIS = '…';

/** Slack mrkdwn treats &, < and > as control characters (`<!channel>`, links); user text must not. */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts `raw` so that its rendering (after `escape`) fits in `limit` characters, never
 * splitting a surrogate pair or an HTML entity, and marks the cut with an ellipsis.
 */
export function fitText(raw: string, limit: number, escape: (s: string) => string = (s) => s): string {
  const full = escape(raw);
  if (full.length <= limit) return full;
  let out = '';
  for (const ch of raw) {
    const next = escape(ch);
    if (out.length + next.length + ELLIPSIS.length > limit) break;
    out += next;
  }
  return out + ELLIPSIS;
}

export const fitMrkdwn = (raw: string, limit: number): string => fitText(raw, limit, escapeMrkdwn);

/** Every limit a rendered message or modal breaks, as readable strings (empty = valid). */
export function checkBlocks(blocks: Block[], maxBlocks: number = LIMITS.blocksPerMessage): string[] {
  const problems: string[] = [];
  const over = (what: string, s: string | undefined, max: number) => {
    if (s !== undefined && s.length > max) problems.push(`${what} is ${s.length} > ${max}`);
  };
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  blocks.forEach((b, i) => {
    const at = `block ${i} (${b.type})`;
    over(`${at} block_id`, b.block_id, LIMITS.blockId);
    if (b.type === 'header') over(`${at} text`, b.text?.text, LIMITS.headerText);
    if (b.type === 'section') {
      over(`${at} text`, b.text?.text, LIMITS.sectionText);
      if ((b.fields?.length ?? 0) > LIMITS.fieldsPerSection) problems.push(`${at} has ${b.fields.length} fields`);
      (b.fields ?? []).forEach((f: any, j: number) => over(`${at} field ${j}`, f.text, LIMITS.sectionField));
      if (!b.text && !b.fields?.length) problems.push(`${at} has neither text nor fields`);
    }
    if (b.type === 'context') {
      if (b.elements.length > LIMITS.contextElements) problems.push(`${at} has ${b.elements.length} elements`);
      b.elements.forEach((e: any, j: number) => over(`${at} element ${j}`, e.text, LIMITS.contextText));
    }
    if (b.type === 'actions') {
      if (b.elements.length > LIMITS.elementsPerActions) problems.push(`${at} has ${b.elements.length} elements`);
      b.elements.forEach((e: any, j: number) => checkElement(`${at} element ${j}`, e, over));
    }
    if (b.type === 'input') checkElement(`${at} element`, b.element, over);
  });
  return problems;
}

function checkElement(at: string, e: any, over: (what: string, s: string | undefined, max: number) => void): void {
  over(`${at} action_id`, e.action_id, LIMITS.actionId);
  if (e.type === 'button') {
    over(`${at} text`, e.text?.text, LIMITS.buttonText);
    over(`${at} value`, e.value, LIMITS.buttonValue);
  }
  if (e.options) {
    if (e.options.length > LIMITS.optionsPerSelect) over(`${at} options`, 'x'.repeat(e.options.length), LIMITS.optionsPerSelect);
    e.options.forEach((o: any, j: number) => over(`${at} option ${j}`, o.text?.text, LIMITS.optionText));
  }
}

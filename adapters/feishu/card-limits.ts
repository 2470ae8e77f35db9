/**
 * Feishu refuses an interactive card whose request is over 30 KB (the Open Platform's
 * limit for card and rich-text messages), so the renderer cuts long text and long lists
 * itself, ending a cut list with "…and N more", as adapters/slack/block-kit-limits.ts does
 * for Block Kit. Buttons are never cut: they are what the card is for.
 */
import { t } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';

export const FEISHU_LIMITS = {
  /** The whole request body of a card message (im/v1/messages create, reply, patch). */
  requestBytes: 30 * 1024,
  /**
   * Room kept for the rest of the request (receive_id, msg_type, uuid) and for what is added
   * after rendering (the report poster's chart image element).
   */
  envelopeBytes: 1024,
  /** Our own cap on one piece of text, so one runaway purpose cannot use the whole card. */
  textChars: 2000,
  /** Header titles and status tags are one line in the client; longer is noise. */
  titleChars: 200,
} as const;

type Element = Record<string, unknown>;

/**
 * What the card costs in the request: the card JSON travels as a JSON string (`content`),
 * so it is escaped once more inside the body.
 */
export function cardRequestBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(card)), 'utf8');
}

const CARD_BUDGET = FEISHU_LIMITS.requestBytes - FEISHU_LIMITS.envelopeBytes;

/** Cuts to `max` characters (whole code points, never half a surrogate pair), marking the cut. */
export function cutText(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return chars.slice(0, max - 1).join('') + '…';
}

/** One run of a card's body: `cuttable` runs lose items from the end when the card is too big. */
export interface Section {
  items: Element[];
  cuttable: boolean;
  /** Shown before the items when there are any (a divider). */
  before?: Element[];
}

/**
 * Lays the sections out with `shell` and, while the card is over the budget, drops items
 * from the end of the largest cuttable section, putting one "…and N more" line in their
 * place. Item sizes are measured once, so a list of thousands is cut in a few passes.
 */
export function fitSections(sections: Section[], shell: (elements: Element[]) => Record<string, unknown>, locale: Locale): Record<string, unknown> {
  const kept = sections.map((s) => s.items.length);
  const sizes = sections.map((s) => s.items.map((e) => cardRequestBytes(e)));
  const more = (n: number): Element => ({ tag: 'div', text: { tag: 'plain_text', content: t(locale, 'FEISHU.MORE', { count: n }), text_size: 'notation', text_color: 'grey' } });
  const build = () =>
    shell(
      sections.flatMap((s, i) => {
        if (!s.items.length) return [];
        const dropped = s.items.length - kept[i];
        return [...(s.before ?? []), ...s.items.slice(0, kept[i]), ...(dropped ? [more(dropped)] : [])];
      }),
    );
  for (;;) {
    const card = build();
    const excess = cardRequestBytes(card) - CARD_BUDGET;
    if (excess <= 0) return card;
    // The largest section still holding items gives them up, last first.
    let pick = -1;
    let pickBytes = 0;
    sections.forEach((s, i) => {
      const bytes = sizes[i].slice(0, kept[i]).reduce((a, b) => a + b, 0);
      if (s.cuttable && kept[i] > 0 && bytes > pickBytes) [pick, pickBytes] = [i, bytes];
    });
    if (pick < 0) return card; // nothing left to cut; texts are capped, so only a huge button set gets here
    // Room for the "more" line too (≈ 150 bytes escaped), so one pass usually suffices.
    let freed = 0;
    while (kept[pick] > 0 && freed < excess + 150) freed += sizes[pick][--kept[pick]];
  }
}

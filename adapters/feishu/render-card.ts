/**
 * View → Feishu card JSON (schema 2.0). Every piece of text that can carry user input
 * (purpose, payee names, reasons) goes into `plain_text`, never `markdown`, so nobody can
 * smuggle links or mentions into an approval card through a payment's purpose.
 */
import type { CardView, ListView, MessageView, Tone, View, ViewButton, ViewField } from '../../commands/view/view';
import { registerCatalog } from '../../src/domain/i18n';
import type { Locale } from '../../src/domain/locale';
import { cutText, FEISHU_LIMITS, fitSections } from './card-limits';
import { feishuMessages } from './feishu.messages';

registerCatalog(feishuMessages); // the "…and N more" line

export type FeishuCard = Record<string, unknown>;
type Element = Record<string, unknown>;

/** The card a button tap sends back: which action, and the button's opaque value. */
export interface FeishuCallbackValue {
  action: string;
  value: string;
}

const HEADER_TEMPLATE: Record<Tone, string> = {
  neutral: 'grey', good: 'green', warning: 'orange', danger: 'red', info: 'blue',
};
const TAG_COLOUR: Record<Tone, string> = {
  neutral: 'neutral', good: 'green', warning: 'orange', danger: 'red', info: 'blue',
};
const TEXT_COLOUR: Record<Tone, string | undefined> = {
  neutral: undefined, good: 'green', warning: 'orange', danger: 'red', info: undefined,
};
/** Feishu's toast types by tone (a toast has no "neutral"). */
export const TOAST_TYPE: Record<Tone, 'success' | 'warning' | 'error' | 'info'> = {
  neutral: 'info', good: 'success', warning: 'warning', danger: 'error', info: 'info',
};

const plain = (content: string, max: number = FEISHU_LIMITS.textChars) => ({ tag: 'plain_text', content: cutText(content, max) });

function div(content: string, style: { size?: 'heading' | 'normal' | 'notation'; colour?: string } = {}): Element {
  const text: Record<string, string> = { tag: 'plain_text', content: cutText(content, FEISHU_LIMITS.textChars) };
  if (style.size) text.text_size = style.size;
  if (style.colour) text.text_color = style.colour;
  return { tag: 'div', text };
}

/** Chat lists show the summary instead of "[Card]". */
const summary = (s: string) => ({ content: s.length > 100 ? `${s.slice(0, 99)}…` : s });

function field(f: ViewField): Element {
  return {
    tag: 'column_set',
    columns: [
      { tag: 'column', width: 'weighted', weight: 1, elements: [div(f.label, { colour: 'grey' })] },
      { tag: 'column', width: 'weighted', weight: 3, elements: [div(f.value)] },
    ],
  };
}

const callback = (b: ViewButton): FeishuCallbackValue => ({ action: b.actionId, value: b.value });

function button(b: ViewButton, i: number, label = b.label): Element {
  return {
    tag: 'button',
    name: `btn_${i}`,
    text: plain(label, FEISHU_LIMITS.titleChars),
    type: b.style ?? 'default',
    behaviors: [{ type: 'callback', value: callback(b) }],
  };
}

/** A reason-first action (reject): a form whose submit button carries the action. */
function reasonForm(b: ViewButton, i: number): Element {
  const p = b.reasonPrompt!;
  return {
    tag: 'form',
    name: `form_${i}`,
    elements: [
      div(p.title),
      {
        tag: 'input',
        name: `reason_${i}`,
        required: true,
        max_length: 200,
        label: plain(p.label),
        label_position: 'top',
        placeholder: plain(p.label),
      },
      { ...button(b, i, p.submit), form_action_type: 'submit' },
    ],
  };
}

function buttons(list: ViewButton[]): Element[] {
  const out: Element[] = [];
  const simple = list.map((b, i) => ({ b, i })).filter(({ b }) => !b.reasonPrompt);
  if (simple.length) {
    // Side by side: schema 2.0 stacks bare buttons vertically.
    out.push({
      tag: 'column_set',
      columns: simple.map(({ b, i }) => ({ tag: 'column', width: 'auto', elements: [button(b, i)] })),
    });
  }
  list.forEach((b, i) => b.reasonPrompt && out.push(reasonForm(b, i)));
  return out;
}

/**
 * The language of the few words the renderer adds itself ("…and N more"). Callers that know
 * the reader pass it; otherwise the view's own text tells (views are already localised).
 */
function localeOf(v: View, locale?: Locale): Locale {
  if (locale) return locale;
  const text = v.kind === 'message' ? v.text : v.title;
  return /[\u3400-\u9fff]/.test(text) ? 'zh-CN' : 'en';
}

const shell = (summaryText: string, header?: Element) => (elements: Element[]): FeishuCard => ({
  schema: '2.0',
  config: { update_multi: true, summary: summary(summaryText) },
  ...(header ? { header } : {}),
  body: { elements },
});

export function renderCardView(v: CardView, locale?: Locale): FeishuCard {
  const amount: Element[] = [];
  if (v.amount) {
    amount.push(div(v.amount.text, { size: 'heading' }));
    if (v.amount.capital) amount.push(div(v.amount.capital, { colour: 'grey' }));
  }
  const header: Element = { title: plain(v.title, FEISHU_LIMITS.titleChars), template: HEADER_TEMPLATE[v.status?.tone ?? 'info'] };
  if (v.status) header.text_tag_list = [{ tag: 'text_tag', text: plain(v.status.label, FEISHU_LIMITS.titleChars), color: TAG_COLOUR[v.status.tone] }];
  return fitSections(
    [
      { items: amount, cuttable: false },
      { items: v.fields.map(field), cuttable: true },
      { items: v.warnings.map((w) => div(`⚠ ${w}`, { colour: 'orange' })), cuttable: true },
      { items: v.context.map((c) => div(c, { size: 'notation', colour: 'grey' })), cuttable: true, before: [{ tag: 'hr' }] },
      { items: buttons(v.buttons), cuttable: false },
    ],
    shell(v.title, header),
    localeOf(v, locale),
  );
}

export function renderListView(v: ListView, locale?: Locale): FeishuCard {
  const items: Element[] = v.items.map((item) => {
    const columns: Element[] = [
      {
        tag: 'column', width: 'weighted', weight: 3,
        elements: [div(item.title), div(item.subtitle, { size: 'notation', colour: 'grey' })],
      },
    ];
    if (item.status) {
      const colour = TEXT_COLOUR[item.status.tone];
      columns.push({ tag: 'column', width: 'auto', elements: [div(item.status.label, colour ? { colour } : {})] });
    }
    return { tag: 'column_set', columns };
  });
  const tail: Element[] = [];
  if (!v.items.length) tail.push(div(v.empty, { colour: 'grey' }));
  if (v.footer) tail.push({ tag: 'hr' }, div(v.footer, { size: 'notation', colour: 'grey' }));
  return fitSections(
    [{ items, cuttable: true }, { items: tail, cuttable: false }],
    shell(v.title, { title: plain(v.title, FEISHU_LIMITS.titleChars), template: 'blue' }),
    localeOf(v, locale),
  );
}

export function renderMessageView(v: MessageView, locale?: Locale): FeishuCard {
  const colour = TEXT_COLOUR[v.tone];
  return fitSections(
    [
      { items: [div(v.text, colour ? { colour } : {})], cuttable: false },
      { items: (v.detail ?? []).map((d) => div(d, { colour: 'grey' })), cuttable: true },
    ],
    shell(v.text),
    localeOf(v, locale),
  );
}

export function renderView(v: View, locale?: Locale): FeishuCard {
  switch (v.kind) {
    case 'card':
      return renderCardView(v, locale);
    case 'list':
      return renderListView(v, locale);
    case 'message':
      return renderMessageView(v, locale);
  }
}

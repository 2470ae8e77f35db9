/**
 * The neutral card model every surface renders: Block Kit for Slack, card JSON
 * 2.0 for Feishu, HTML for the playground. Text is already localised; renderers
 * only lay it out, so the three surfaces can never disagree on what a card says.
 */
export type Tone = 'neutral' | 'good' | 'warning' | 'danger' | 'info';

export interface ViewField {
  label: string;
  value: string;
}

export interface ViewButton {
  /** Stable action id the adapters route on, e.g. `payment.approve`. */
  actionId: string;
  label: string;
  style?: 'primary' | 'danger';
  /** Opaque value sent back on tap: JSON of {id, v} for payments. */
  value: string;
  /** When set, the surface asks for a reason before sending (reject). */
  reasonPrompt?: { title: string; label: string; submit: string };
}

/** A picture on a card (a chart). `alt` says what it shows, for screen readers and where it cannot be shown. */
export interface ViewImage {
  png: Uint8Array;
  alt: string;
  fileName: string;
}

/** A file handed over with a card (an export). */
export interface ViewFile {
  name: string;
  mime: string;
  data: Uint8Array;
}

export interface CardView {
  kind: 'card';
  /** Which card this is, for updating every copy in place (e.g. `payment:<id>`). */
  key?: string;
  title: string;
  status?: { label: string; tone: Tone; code?: string };
  /** The amount line, formatted; `capital` holds the CNY capital amount (大写). */
  amount?: { text: string; capital?: string };
  fields: ViewField[];
  warnings: string[];
  /** Small grey lines: who decided what, what remains, timestamps. */
  context: string[];
  buttons: ViewButton[];
  /** Shown inline by the playground; Slack and Feishu upload it (see each adapter's report poster). */
  image?: ViewImage;
  /** Download links in the playground; uploaded files on Slack and Feishu. */
  files?: ViewFile[];
}

export interface ListView {
  kind: 'list';
  title: string;
  items: { title: string; subtitle: string; status?: { label: string; tone: Tone }; key?: string }[];
  footer?: string;
  empty: string;
}

export interface MessageView {
  kind: 'message';
  tone: Tone;
  text: string;
  /** Extra lines such as a usage synopsis. */
  detail?: string[];
}

export type View = CardView | ListView | MessageView;

/** What a command hands back to the surface that asked. */
export interface Reply {
  /** `ephemeral`: only the asker sees it (Slack ephemeral, Feishu DM, playground private). */
  visibility: 'ephemeral' | 'in_channel';
  view: View;
}

export const message = (tone: Tone, text: string, detail?: string[]): MessageView =>
  detail ? { kind: 'message', tone, text, detail } : { kind: 'message', tone, text };

/**
 * Views → HTML for the playground. Every piece of text passes through
 * escapeHtml: payee names, purposes and reasons are typed by people (or sent
 * by an ERP) and must never become markup in an approver's browser.
 */
import type { CardView, ListView, MessageView, Tone, View, ViewButton, ViewFile, ViewImage } from '../../commands/view/view';

const TONES: readonly Tone[] = ['neutral', 'good', 'warning', 'danger', 'info'];
/** Tone names become class names, so only known ones pass; anything else reads as neutral. */
const tone = (t: string | undefined): Tone => (TONES.includes(t as Tone) ? (t as Tone) : 'neutral');

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe for element text and for double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return String(s).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

export function renderViewHtml(view: View): string {
  switch (view.kind) {
    case 'card':
      return renderCard(view);
    case 'list':
      return renderList(view);
    case 'message':
      return renderMessage(view);
    default:
      return renderMessage({ kind: 'message', tone: 'danger', text: 'Unsupported view' });
  }
}

/** A command someone typed, shown as they typed it. */
export function renderTypedHtml(text: string): string {
  return `<p class="pd-typed"><code>${escapeHtml(text)}</code></p>`;
}

function badge(status: { label: string; tone: Tone; code?: string } | undefined): string {
  if (!status) return '';
  const code = status.code ? ` data-status="${escapeHtml(status.code)}"` : '';
  return `<span class="pd-badge pd-tone-${tone(status.tone)}"${code}>${escapeHtml(status.label)}</span>`;
}

function renderCard(c: CardView): string {
  const key = c.key ? ` data-key="${escapeHtml(c.key)}"` : '';
  const parts = [
    `<header class="pd-card__head"><h3 class="pd-card__title">${escapeHtml(c.title)}</h3>${badge(c.status)}</header>`,
  ];
  if (c.amount) {
    const capital = c.amount.capital ? `<div class="pd-amount__capital">${escapeHtml(c.amount.capital)}</div>` : '';
    parts.push(`<div class="pd-amount"><div class="pd-amount__text">${escapeHtml(c.amount.text)}</div>${capital}</div>`);
  }
  if (c.fields.length) {
    const rows = c.fields.map((f) => `<div class="pd-field"><dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd></div>`);
    parts.push(`<dl class="pd-fields">${rows.join('')}</dl>`);
  }
  if (c.warnings.length) {
    parts.push(`<ul class="pd-warnings">${c.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`);
  }
  if (c.context.length) {
    parts.push(`<div class="pd-context">${c.context.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</div>`);
  }
  if (c.image) parts.push(imageHtml(c.image));
  if (c.files?.length) parts.push(filesHtml(c.files));
  if (c.buttons.length) parts.push(`<div class="pd-actions">${c.buttons.map(button).join('')}</div>`);
  const accent = c.status ? tone(c.status.tone) : 'neutral';
  return `<article class="pd-card pd-accent-${accent}"${key}>${parts.join('')}</article>`;
}

const base64 = (data: Uint8Array): string => Buffer.from(data).toString('base64');

/** Charts are PNGs made by paydesk itself; the page's CSP allows data: images and nothing from elsewhere. */
function imageHtml(i: ViewImage): string {
  return `<figure class="pd-chart"><img src="data:image/png;base64,${base64(i.png)}" alt="${escapeHtml(i.alt)}"></figure>`;
}

function filesHtml(files: ViewFile[]): string {
  const links = files.map((f) => `<li><a download="${escapeHtml(f.name)}" href="data:${escapeHtml(f.mime)};base64,${base64(f.data)}">${escapeHtml(f.name)}</a></li>`);
  return `<ul class="pd-files">${links.join('')}</ul>`;
}

function button(b: ViewButton): string {
  const style = b.style === 'primary' ? ' pd-btn--primary' : b.style === 'danger' ? ' pd-btn--danger' : '';
  const attrs = [
    `type="button"`,
    `class="pd-btn${style}"`,
    `data-action-id="${escapeHtml(b.actionId)}"`,
    `data-value="${escapeHtml(b.value)}"`,
  ];
  if (b.reasonPrompt) {
    // The browser opens its reason dialog with these words, so the dialog speaks the card's language.
    attrs.push(
      `data-reason-title="${escapeHtml(b.reasonPrompt.title)}"`,
      `data-reason-label="${escapeHtml(b.reasonPrompt.label)}"`,
      `data-reason-submit="${escapeHtml(b.reasonPrompt.submit)}"`,
    );
  }
  return `<button ${attrs.join(' ')}>${escapeHtml(b.label)}</button>`;
}

function renderList(l: ListView): string {
  const items = l.items.length
    ? `<ul class="pd-list__items">${l.items
        .map(
          (i) =>
            `<li class="pd-list__item"><div class="pd-list__main"><div class="pd-list__title">${escapeHtml(i.title)}</div>` +
            `<div class="pd-list__subtitle">${escapeHtml(i.subtitle)}</div></div>${badge(i.status)}</li>`,
        )
        .join('')}</ul>`
    : `<p class="pd-list__empty">${escapeHtml(l.empty)}</p>`;
  const footer = l.footer ? `<p class="pd-list__footer">${escapeHtml(l.footer)}</p>` : '';
  return `<section class="pd-list"><h3 class="pd-list__title-main">${escapeHtml(l.title)}</h3>${items}${footer}</section>`;
}

function renderMessage(m: MessageView): string {
  const detail = m.detail?.length ? `<pre class="pd-message__detail">${m.detail.map(escapeHtml).join('\n')}</pre>` : '';
  return `<div class="pd-message pd-tone-${tone(m.tone)}"><p class="pd-message__text">${escapeHtml(m.text)}</p>${detail}</div>`;
}

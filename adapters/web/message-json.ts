import type { Locale } from '../../src/domain/locale';
import { renderTypedHtml, renderViewHtml } from './render-html';
import type { StoredMessage } from './web-surface';

/** A message as one reader's browser receives it: already rendered to safe HTML in that reader's language. */
export interface MessageJson {
  id: string;
  seq: number;
  channel: string;
  author: string;
  at: string;
  key?: string;
  /** Only the reader sees it (ephemeral). */
  private: boolean;
  revision: number;
  html: string;
}

export interface RenderLog {
  error(obj: object, msg: string): void;
}

const BROKEN: Record<Locale, string> = {
  en: 'This message could not be shown (see the server log).',
  'zh-CN': '此消息无法显示（请查看服务器日志）。',
};

export function messageJson(m: StoredMessage, locale: Locale, log: RenderLog): MessageJson {
  let html: string;
  try {
    html = m.content.kind === 'text' ? renderTypedHtml(m.content.text) : renderViewHtml(m.content.view(locale));
  } catch (err) {
    // A card that cannot render must not take the whole channel down with it.
    log.error({ err, messageId: m.id, key: m.key }, 'playground message failed to render');
    html = renderViewHtml({ kind: 'message', tone: 'danger', text: BROKEN[locale] ?? BROKEN.en });
  }
  return {
    id: m.id,
    seq: m.seq,
    channel: m.channel,
    author: m.author,
    at: m.at.toISOString(),
    ...(m.key ? { key: m.key } : {}),
    private: m.visibleTo !== undefined,
    revision: m.revision,
    html,
  };
}

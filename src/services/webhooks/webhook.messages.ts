import { registerCatalog } from '../../domain/i18n';
import type { Catalog } from '../../domain/locale';

/** Refusals of webhook registration beyond the basic URL check (api-token.messages.ts has that one). */
export const webhookMessages: Catalog = {
  en: {
    'WEBHOOK.URL_NOT_ALLOWED': 'The webhook URL must use https and name a public host (not localhost or a private, link-local or internal address).',
  },
  'zh-CN': {
    'WEBHOOK.URL_NOT_ALLOWED': 'Webhook 地址必须使用 https，且指向公网主机（不能是 localhost、私有地址、链路本地地址或内部地址）。',
  },
};

registerCatalog(webhookMessages);

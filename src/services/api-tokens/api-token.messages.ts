import type { Catalog } from '../../domain/locale';

/** Messages for API token management (CLI, chat, REST errors). */
export const apiTokenMessages: Catalog = {
  en: {
    'API_TOKEN.INVALID_NAME': 'A token name is 1–63 characters: lower-case letters, digits, "_", "." or "-", starting with a letter or digit.',
    'API_TOKEN.UNKNOWN_SCOPE': 'Unknown scope {scope}. Scopes: {known}.',
    'API_TOKEN.NO_SCOPES': 'Give the token at least one scope: {known}.',
    'API_TOKEN.NAME_TAKEN': 'There is already a token named {name} (names are never reused, even after revocation).',
    'API_TOKEN.NOT_FOUND': 'No active token named {name}.',
    'AUTH.TOKEN_EXPIRED': 'This API token has expired; ask an admin for a new one.',
    'WEBHOOK.INVALID_URL': 'The webhook URL must be an http(s) URL without credentials.',
    'WEBHOOK.NOT_FOUND': 'No such webhook subscription for this token.',
  },
  'zh-CN': {
    'API_TOKEN.INVALID_NAME': '令牌名称为 1–63 个字符：小写字母、数字、“_”、“.” 或 “-”，以字母或数字开头。',
    'API_TOKEN.UNKNOWN_SCOPE': '未知的权限范围 {scope}。可用范围：{known}。',
    'API_TOKEN.NO_SCOPES': '请至少为令牌指定一个权限范围：{known}。',
    'API_TOKEN.NAME_TAKEN': '已存在名为 {name} 的令牌（名称即使吊销后也不可重复使用）。',
    'API_TOKEN.NOT_FOUND': '没有名为 {name} 的有效令牌。',
    'AUTH.TOKEN_EXPIRED': '此 API 令牌已过期，请联系管理员申请新令牌。',
    'WEBHOOK.INVALID_URL': 'Webhook 地址必须是不含凭据的 http(s) 地址。',
    'WEBHOOK.NOT_FOUND': '此令牌没有该 Webhook 订阅。',
  },
};

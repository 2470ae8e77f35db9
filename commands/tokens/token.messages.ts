import { registerCatalog } from '../../src/domain/i18n';
import type { Catalog } from '../../src/domain/locale';
import { apiTokenMessages } from '../../src/services/api-tokens/api-token.messages';

/** Words of `/pay token` (`/付款 令牌`). */
export const tokenCommandMessages: Catalog = {
  en: {
    'TOKEN.USAGE': 'Usage: /pay token list · /pay token create <name> scopes <scope,…> [expires YYYY-MM-DD | 90d] · /pay token revoke <name | id>',
    'TOKEN.ADMIN_ONLY': 'Only an admin can manage API tokens.',
    'TOKEN.UNKNOWN_SUBCOMMAND': 'Unknown token command "{word}".',
    'TOKEN.MISSING_NAME': 'Give the new token a name, e.g. /pay token create erp-prod scopes payments:write,payments:read:own',
    'TOKEN.MISSING_SCOPES': 'Give the token at least one scope after its name.',
    'TOKEN.BAD_EXPIRY': 'Cannot read the expiry "{value}": use a date (2027-06-30) or a number of days (90d).',
    'TOKEN.EXPIRY_PAST': 'The expiry {date} is already past.',
    'TOKEN.NO_DM': 'paydesk cannot send you a direct message here, so the token was not created (the secret is only ever sent by direct message).',
    'TOKEN.DM_FAILED': 'The direct message with the secret could not be sent, so token {name} was revoked again. Try once more.',
    'TOKEN.CREATED': 'Token {name} created ({scopes}; {expiry}). Its secret was sent to you in a direct message and is shown only once.',
    'TOKEN.NO_EXPIRY': 'no expiry',
    'TOKEN.EXPIRES': 'expires {at}',
    'TOKEN.SECRET_TITLE': 'API token {name}: copy the secret now, it is not shown again',
    'TOKEN.SECRET_LINE': 'Secret: `{token}`',
    'TOKEN.SECRET_USE': 'Send it as "Authorization: Bearer <secret>". Scopes: {scopes}; {expiry}.',
    'TOKEN.REVOKED': 'Token {name} is revoked; requests with it now get 401, and its webhooks stopped.',
    'TOKEN.LIST_TITLE': 'API tokens',
    'TOKEN.LIST_EMPTY': 'No API tokens yet. /pay token create <name> scopes <scope,…>',
    'TOKEN.LIST_ITEM': '{scopes} · created by {by} {at} · {expiry} · last used {used} · id {id}',
    'TOKEN.NEVER': 'never',
    'TOKEN.STATE_REVOKED': 'Revoked',
    'TOKEN.STATE_EXPIRED': 'Expired',
    'TOKEN.STATE_ACTIVE': 'Active',
  },
  'zh-CN': {
    'TOKEN.USAGE': '用法：/付款 令牌 列表 · /付款 令牌 创建 <名称> 范围 <范围,…> [过期 YYYY-MM-DD | 90天] · /付款 令牌 吊销 <名称 | ID>',
    'TOKEN.ADMIN_ONLY': '只有管理员可以管理 API 令牌。',
    'TOKEN.UNKNOWN_SUBCOMMAND': '未知的令牌命令“{word}”。',
    'TOKEN.MISSING_NAME': '请为新令牌命名，例如：/付款 令牌 创建 erp-prod 范围 payments:write,payments:read:own',
    'TOKEN.MISSING_SCOPES': '请在名称后至少指定一个权限范围。',
    'TOKEN.BAD_EXPIRY': '无法识别过期时间“{value}”：请使用日期（2027-06-30）或天数（90天）。',
    'TOKEN.EXPIRY_PAST': '过期日期 {date} 已经过去。',
    'TOKEN.NO_DM': 'paydesk 无法在此平台给您发私信，因此未创建令牌（密钥只通过私信发送）。',
    'TOKEN.DM_FAILED': '含密钥的私信发送失败，令牌 {name} 已被吊销。请重试。',
    'TOKEN.CREATED': '已创建令牌 {name}（{scopes}；{expiry}）。密钥已通过私信发给您，且只显示这一次。',
    'TOKEN.NO_EXPIRY': '不过期',
    'TOKEN.EXPIRES': '{at} 过期',
    'TOKEN.SECRET_TITLE': 'API 令牌 {name}：请立即复制密钥，之后不会再显示',
    'TOKEN.SECRET_LINE': '密钥：`{token}`',
    'TOKEN.SECRET_USE': '请以 “Authorization: Bearer <密钥>” 发送。范围：{scopes}；{expiry}。',
    'TOKEN.REVOKED': '令牌 {name} 已吊销；使用它的请求将返回 401，其 Webhook 已停止。',
    'TOKEN.LIST_TITLE': 'API 令牌',
    'TOKEN.LIST_EMPTY': '尚无 API 令牌。/付款 令牌 创建 <名称> 范围 <范围,…>',
    'TOKEN.LIST_ITEM': '{scopes} · 由 {by} 于 {at} 创建 · {expiry} · 最近使用 {used} · ID {id}',
    'TOKEN.NEVER': '从未',
    'TOKEN.STATE_REVOKED': '已吊销',
    'TOKEN.STATE_EXPIRED': '已过期',
    'TOKEN.STATE_ACTIVE': '有效',
  },
};

registerCatalog(tokenCommandMessages);
registerCatalog(apiTokenMessages);

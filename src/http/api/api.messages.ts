import type { Catalog } from '../../domain/locale';

/** Error messages of the REST API; the code is the contract, the message is for people. */
export const apiMessages: Catalog = {
  en: {
    'AUTH.TOKEN_REQUIRED': 'Send an API token: "Authorization: Bearer pd_…".',
    'AUTH.TOKEN_INVALID': 'The API token is not valid.',
    'AUTH.TOKEN_REVOKED': 'The API token has been revoked.',
    'AUTH.SCOPE_MISSING': 'This token lacks the {scope} scope.',
    'API.NOT_FOUND': 'No such endpoint.',
    'API.METHOD_NOT_ALLOWED': 'Use {allowed} on this endpoint.',
    'API.INVALID_JSON': 'The request body is not valid JSON.',
    'API.INVALID_CHARACTERS': 'The request contains a NUL character (\\u0000), which no field accepts.',
    'API.INVALID_REQUEST': 'The request is invalid: {detail}',
    'API.UNSUPPORTED_MEDIA_TYPE': 'Send the body as application/json.',
    'API.BODY_TOO_LARGE': 'The request body is too large.',
    'API.IDEMPOTENCY_KEY_REQUIRED': 'Creating a payment needs an Idempotency-Key header (1–255 printable characters), so a retry can never pay twice.',
    'API.INVALID_CURSOR': 'The cursor is not one this API returned.',
    'API.RATE_LIMITED': 'Too many requests; retry in {seconds} s.',
  },
  'zh-CN': {
    'AUTH.TOKEN_REQUIRED': '请提供 API 令牌：“Authorization: Bearer pd_…”。',
    'AUTH.TOKEN_INVALID': 'API 令牌无效。',
    'AUTH.TOKEN_REVOKED': 'API 令牌已被吊销。',
    'AUTH.SCOPE_MISSING': '此令牌没有 {scope} 权限。',
    'API.NOT_FOUND': '没有这个接口。',
    'API.METHOD_NOT_ALLOWED': '此接口请使用 {allowed}。',
    'API.INVALID_JSON': '请求体不是有效的 JSON。',
    'API.INVALID_CHARACTERS': '请求中含有 NUL 字符（\\u0000），任何字段都不接受。',
    'API.INVALID_REQUEST': '请求无效：{detail}',
    'API.UNSUPPORTED_MEDIA_TYPE': '请以 application/json 发送请求体。',
    'API.BODY_TOO_LARGE': '请求体过大。',
    'API.IDEMPOTENCY_KEY_REQUIRED': '创建付款需要 Idempotency-Key 请求头（1–255 个可打印字符），以保证重试不会重复付款。',
    'API.INVALID_CURSOR': '分页游标无效。',
    'API.RATE_LIMITED': '请求过于频繁，请 {seconds} 秒后重试。',
  },
};

/**
 * Builds requests the way Feishu sends them: the payload AES-256-CBC encrypted with
 * sha256(encrypt key) and a random IV in front, then signed with
 * sha256(timestamp + nonce + encrypt key + body).
 */
import { createCipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';

export function encryptPayload(encryptKey: string, payload: unknown): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]).toString('base64');
}

export function sign(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + body).digest('hex');
}

export interface SignedRequest {
  headers: Record<string, string>;
  body: string;
}

/** An encrypted, signed POST body for /feishu/events. `body` lets a test format the JSON itself. */
export function signedRequest(
  encryptKey: string,
  payload: unknown,
  opts: { timestamp?: number; signWith?: string; body?: (encrypt: string) => string; unsigned?: boolean } = {},
): SignedRequest {
  const encrypt = encryptPayload(encryptKey, payload);
  const body = opts.body ? opts.body(encrypt) : JSON.stringify({ encrypt });
  if (opts.unsigned) return { headers: { 'content-type': 'application/json' }, body };
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomUUID();
  return {
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': sign(timestamp, nonce, opts.signWith ?? encryptKey, body),
    },
    body,
  };
}

const envelope = <E extends object>(eventType: string, token: string, eventId: string, event: E) => ({
  schema: '2.0',
  header: {
    event_id: eventId, token, create_time: String(Date.now()), event_type: eventType,
    tenant_key: 'tenant_test', app_id: 'cli_0123456789abcdef',
  },
  event,
});

export interface TextMessageInput {
  token: string;
  openId: string;
  text: string;
  eventId?: string;
  messageId?: string;
  chatId?: string;
  chatType?: 'p2p' | 'group';
  mentions?: { key: string; openId: string; name: string }[];
  senderType?: string;
  messageType?: string;
}

export function textMessageEvent(i: TextMessageInput) {
  return envelope('im.message.receive_v1', i.token, i.eventId ?? randomUUID(), {
    sender: { sender_id: { open_id: i.openId, union_id: `on_${i.openId}` }, sender_type: i.senderType ?? 'user', tenant_key: 'tenant_test' },
    message: {
      message_id: i.messageId ?? `om_in_${randomUUID().slice(0, 8)}`,
      create_time: String(Date.now()),
      chat_id: i.chatId ?? `oc_p2p_${i.openId}`,
      chat_type: i.chatType ?? 'p2p',
      message_type: i.messageType ?? 'text',
      content: JSON.stringify({ text: i.text }),
      mentions: i.mentions?.map((m) => ({ key: m.key, id: { open_id: m.openId }, name: m.name, tenant_key: 'tenant_test' })),
    },
  });
}

export interface CardActionInput {
  token: string;
  openId: string;
  value: unknown;
  messageId: string;
  chatId?: string;
  formValue?: Record<string, unknown>;
  eventId?: string;
  name?: string;
}

export function cardActionEvent(i: CardActionInput) {
  return envelope('card.action.trigger', i.token, i.eventId ?? randomUUID(), {
    operator: { tenant_key: 'tenant_test', open_id: i.openId, union_id: `on_${i.openId}` },
    token: `c-${randomUUID()}`,
    action: { value: i.value, tag: 'button', ...(i.name ? { name: i.name } : {}), ...(i.formValue ? { form_value: i.formValue } : {}) },
    host: 'im_message',
    context: { open_message_id: i.messageId, open_chat_id: i.chatId ?? 'oc_approvals' },
  });
}

export const challengeEvent = (token: string, challenge: string) => ({ challenge, token, type: 'url_verification' });

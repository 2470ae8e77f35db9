import { createHash } from 'node:crypto';
import type { Client } from '@larksuiteoapi/node-sdk';
import type { FeishuCard } from './render-card';

export type ReceiveIdType = 'chat_id' | 'open_id';

/** A Feishu API answer with a non-zero `code` (HTTP 200, but the call did not happen). */
export class FeishuApiError extends Error {
  constructor(readonly call: string, readonly code: number | undefined, msg: string | undefined) {
    super(`feishu ${call} failed: code ${code ?? '?'} ${msg ?? ''}`.trim());
    this.name = 'FeishuApiError';
  }
}

function check<T extends { code?: number; msg?: string }>(call: string, res: T): T {
  if (res?.code !== 0) throw new FeishuApiError(call, res?.code, res?.msg);
  return res;
}

/**
 * Feishu drops a second send with the same `uuid` within an hour, so a retry after a
 * timeout cannot post a card twice. The uuid is limited to 50 characters.
 */
export const sendUuid = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 50);

/** `oc_…` is a chat, `ou_…` a person; alert routes may name either. */
export const receiveIdTypeOf = (id: string): ReceiveIdType => (id.startsWith('ou_') ? 'open_id' : 'chat_id');

/** The three message calls paydesk makes, through the SDK's client. */
export class FeishuMessenger {
  constructor(private readonly client: Client) {}

  async send(type: ReceiveIdType, receiveId: string, card: FeishuCard, uuid?: string): Promise<string> {
    const res = check(
      'im.message.create',
      await this.client.im.message.create({
        params: { receive_id_type: type },
        data: { receive_id: receiveId, msg_type: 'interactive', content: JSON.stringify(card), ...(uuid ? { uuid } : {}) },
      }),
    );
    return messageId('im.message.create', res.data?.message_id);
  }

  async reply(toMessageId: string, card: FeishuCard, uuid?: string): Promise<string> {
    const res = check(
      'im.message.reply',
      await this.client.im.message.reply({
        path: { message_id: toMessageId },
        data: { msg_type: 'interactive', content: JSON.stringify(card), ...(uuid ? { uuid } : {}) },
      }),
    );
    return messageId('im.message.reply', res.data?.message_id);
  }

  async patch(messageIdToPatch: string, card: FeishuCard): Promise<void> {
    check(
      'im.message.patch',
      await this.client.im.message.patch({ path: { message_id: messageIdToPatch }, data: { content: JSON.stringify(card) } }),
    );
  }

  /** Uploads a picture for a message or card (im.v1.image.create); answers its image_key. */
  async uploadImage(png: Buffer): Promise<string> {
    const res = await this.client.im.v1.image.create({ data: { image_type: 'message', image: png } });
    if (!res?.image_key) throw new FeishuApiError('im.image.create', undefined, 'no image_key in answer');
    return res.image_key;
  }

  /** Uploads a file (im.v1.file.create) and sends it as a file message. */
  async sendFile(type: ReceiveIdType, receiveId: string, name: string, data: Buffer): Promise<string> {
    const up = await this.client.im.v1.file.create({ data: { file_type: 'stream', file_name: name, file: data } });
    if (!up?.file_key) throw new FeishuApiError('im.file.create', undefined, 'no file_key in answer');
    const res = check(
      'im.message.create',
      await this.client.im.message.create({
        params: { receive_id_type: type },
        data: { receive_id: receiveId, msg_type: 'file', content: JSON.stringify({ file_key: up.file_key }) },
      }),
    );
    return messageId('im.message.create', res.data?.message_id);
  }

  /** The bot's own open_id, to tell whether a group message @-mentions paydesk. */
  async botOpenId(): Promise<string> {
    const res = check<{ code?: number; msg?: string; bot?: { open_id?: string } }>(
      'bot.v3.info',
      await this.client.request({ method: 'GET', url: '/open-apis/bot/v3/info' }),
    );
    if (!res.bot?.open_id) throw new FeishuApiError('bot.v3.info', res.code, 'no open_id in answer');
    return res.bot.open_id;
  }
}

function messageId(call: string, id: string | undefined): string {
  if (!id) throw new FeishuApiError(call, 0, 'no message_id in answer');
  return id;
}

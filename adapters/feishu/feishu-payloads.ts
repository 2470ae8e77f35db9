/**
 * The parts of Feishu's event payloads paydesk relies on, checked with zod. The SDK's
 * dispatcher hands handlers the v2 envelope flattened: header fields (event_id, …) and
 * event fields side by side; for card callbacks `token` is then the card's update token.
 */
import { z } from 'zod';

export const messageEventSchema = z.object({
  event_id: z.string().min(1),
  sender: z.object({
    sender_id: z.object({ open_id: z.string().min(1) }),
    sender_type: z.string(),
  }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z
      .array(z.object({ key: z.string(), name: z.string().optional(), id: z.object({ open_id: z.string().optional() }) }))
      .optional(),
  }),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

const callbackValue = z.object({ action: z.string().min(1), value: z.string() });

export const cardActionSchema = z.object({
  event_id: z.string().min(1).optional(),
  token: z.string().min(1).optional(),
  operator: z.object({ open_id: z.string().min(1) }),
  action: z.object({
    // Our buttons send an object; older clients have been seen to send it as a JSON string.
    value: z.union([
      callbackValue,
      z.string().transform((s, ctx) => {
        try {
          return callbackValue.parse(JSON.parse(s));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'not a paydesk button value' });
          return z.NEVER;
        }
      }),
    ]),
    name: z.string().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
  }),
  context: z.object({ open_message_id: z.string().optional(), open_chat_id: z.string().optional() }).optional(),
});
export type CardAction = z.infer<typeof cardActionSchema>;

/**
 * The text of a text message, with the bot's @-mention removed. Feishu puts a key such as
 * `@_user_1` in the text and the person in `mentions`; other people become `<@open_id>`,
 * as Slack writes `<@U123>`, so `/付款 绑定 @某人 alice` names that person by id (display
 * names are neither unique nor free of spaces). A mention without an open_id keeps its name.
 */
export function commandText(m: MessageEvent['message'], botOpenId: string | undefined): string | undefined {
  let text: unknown;
  try {
    text = (JSON.parse(m.content) as { text?: unknown }).text;
  } catch {
    return undefined;
  }
  if (typeof text !== 'string') return undefined;
  // Longest key first, so `@_user_1` never eats the start of `@_user_10`.
  const mentions = [...(m.mentions ?? [])].sort((a, b) => b.key.length - a.key.length);
  for (const mention of mentions) {
    const openId = mention.id.open_id;
    const replacement = openId === botOpenId ? ' ' : openId ? ` <@${openId}> ` : `@${mention.name ?? ''}`;
    text = (text as string).split(mention.key).join(replacement);
  }
  return (text as string).replace(/\s+/g, ' ').trim();
}

export const mentionsBot = (m: MessageEvent['message'], botOpenId: string | undefined): boolean =>
  botOpenId !== undefined && (m.mentions ?? []).some((x) => x.id.open_id === botOpenId);

/** A reject form sends its input as `reason_<n>` in form_value. */
export function reasonOf(a: CardAction['action']): string | undefined {
  for (const [k, v] of Object.entries(a.form_value ?? {})) {
    if (k.startsWith('reason') && typeof v === 'string' && v.trim()) return v.trim();
  }
  return undefined;
}

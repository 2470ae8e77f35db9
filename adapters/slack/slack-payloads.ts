import { z } from 'zod';

/**
 * The parts of Slack interaction payloads paydesk relies on, checked with zod so a
 * payload that is not what we think is refused at the edge rather than half-used.
 * `.loose()` keeps Slack's many other fields without listing them.
 */
export const ButtonTapSchema = z
  .object({
    type: z.literal('block_actions'),
    user: z.object({ id: z.string().min(1) }).loose(),
    trigger_id: z.string().min(1),
    response_url: z.string().optional(),
    container: z
      .object({
        type: z.string(),
        channel_id: z.string().optional(),
        message_ts: z.string().optional(),
        is_ephemeral: z.boolean().optional(),
        view_id: z.string().optional(),
      })
      .loose(),
    message: z.object({ blocks: z.array(z.any()).optional() }).loose().optional(),
    actions: z
      .array(z.object({ action_id: z.string().min(1).max(255), value: z.string().max(2000).default(''), action_ts: z.string().min(1) }).loose())
      .min(1),
  })
  .loose();
export type ButtonTap = z.infer<typeof ButtonTapSchema>;

export const ViewSubmissionSchema = z
  .object({
    type: z.literal('view_submission'),
    user: z.object({ id: z.string().min(1) }).loose(),
    view: z
      .object({
        id: z.string().min(1),
        callback_id: z.string(),
        private_metadata: z.string().default(''),
        state: z.object({ values: z.record(z.string(), z.record(z.string(), z.any())) }).loose(),
      })
      .loose(),
  })
  .loose();
export type ViewSubmission = z.infer<typeof ViewSubmissionSchema>;

/** Where a tapped button lives: a channel/DM message, an ephemeral message, or App Home. */
export type TapPlace =
  | { kind: 'message'; channel: string; ts: string }
  | { kind: 'ephemeral' }
  | { kind: 'home' };

export function placeOf(tap: ButtonTap): TapPlace {
  const c = tap.container;
  if (c.type === 'view') return { kind: 'home' };
  if (c.is_ephemeral) return { kind: 'ephemeral' };
  if (c.channel_id && c.message_ts) return { kind: 'message', channel: c.channel_id, ts: c.message_ts };
  return { kind: 'ephemeral' };
}

/** The card's title as shown (its header block), to remind the user in the reason modal. */
export function tappedTitle(tap: ButtonTap): string | undefined {
  const first = tap.message?.blocks?.[0];
  return first?.type === 'header' && typeof first.text?.text === 'string' ? first.text.text : undefined;
}

/**
 * One receipt per physical tap: a redelivery of the same tap carries the same action_ts,
 * so it maps to the same receipt and the command layer acts on it once.
 */
export const receiptFor = (tap: ButtonTap): string => {
  const a = tap.actions[0];
  return `${a.action_ts}:${tap.user.id}:${a.action_id}`;
};

export function parseMeta<T>(raw: string): Partial<T> {
  try {
    const v = JSON.parse(raw);
    return v && typeof v === 'object' ? (v as Partial<T>) : {};
  } catch {
    return {};
  }
}

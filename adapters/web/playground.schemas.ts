import { z } from 'zod';

/** Same shape as a directory handle; lower-cased because people type "Rita". */
export const handleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'must be a paydesk handle');

export const commandBody = z.strictObject({
  as: handleSchema,
  channel: z.string().min(1).max(80),
  text: z.string().trim().min(1, 'type a command').max(2000),
});

export const actionBody = z.strictObject({
  as: handleSchema,
  actionId: z.string().min(1).max(100),
  value: z.string().max(2000),
  reason: z
    .string()
    .trim()
    .max(500)
    .optional()
    .transform((s) => (s ? s : undefined)),
  /** Chosen by the browser once per click, so a double click or a retried request acts once. */
  clickId: z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/)
    .optional(),
  /** The message whose button was tapped, so feedback lands in the same channel. */
  messageId: z.string().max(64).optional(),
});

export const asQuery = z.object({ as: handleSchema });

/** "as: must be a paydesk handle; text: type a command" — short enough for a toast. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

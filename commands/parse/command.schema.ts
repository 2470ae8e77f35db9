import { z } from 'zod';
import type { Money } from '../../src/domain/money/money';
import { REJECT_REASON_MIN } from '../../src/domain/approval/approval-rules';
import { PURPOSE_MAX } from '../../src/domain/payment/payment';
import { PAYMENT_STATUSES } from '../../src/domain/payment/payment-status';

/**
 * The typed commands the parser produces. Each zod error message is a stable
 * code of command.messages.ts, so a validation failure is already the key of
 * the sentence the user reads.
 */
export const REFERENCE_PATTERN = /^PAY-\d{4}-\d{6,}$/i;

const reference = z
  .string({ error: 'COMMAND.MISSING_REF' })
  .min(1, 'COMMAND.MISSING_REF')
  .regex(REFERENCE_PATTERN, 'COMMAND.BAD_REF')
  .transform((s) => s.toUpperCase());

/** Either a complete Money (the text named a currency) or text still waiting for the account's currency. */
export interface AmountInput {
  text: string;
  money?: Money;
}

export const NewPaymentSchema = z.object({
  kind: z.literal('new'),
  amount: z.custom<AmountInput>((v) => typeof v === 'object' && v !== null, 'COMMAND.MISSING_AMOUNT'),
  payee: z.string({ error: 'COMMAND.MISSING_PAYEE' }).trim().min(1, 'COMMAND.MISSING_PAYEE').max(100, 'COMMAND.NAME_TOO_LONG'),
  purpose: z
    .string({ error: 'COMMAND.MISSING_PURPOSE' })
    .trim()
    .min(1, 'COMMAND.MISSING_PURPOSE')
    .max(PURPOSE_MAX, 'PAYMENT.PURPOSE_TOO_LONG'),
  account: z.string().trim().min(1, 'COMMAND.MISSING_ACCOUNT').max(100, 'COMMAND.NAME_TOO_LONG').optional(),
  executionDate: z.iso.date('COMMAND.BAD_DATE').optional(),
});

export const ShowSchema = z.object({ kind: z.literal('show'), reference });
export const ApproveSchema = z.object({ kind: z.literal('approve'), reference });
export const CancelSchema = z.object({ kind: z.literal('cancel'), reference });
export const RejectSchema = z.object({
  kind: z.literal('reject'),
  reference,
  reason: z
    .string({ error: 'COMMAND.MISSING_REASON' })
    .trim()
    .min(1, 'COMMAND.MISSING_REASON')
    // The domain's own rule, checked here too so the reply says how to fix the command.
    .min(REJECT_REASON_MIN, 'COMMAND.REASON_TOO_SHORT').max(500, 'COMMAND.REASON_TOO_LONG'),
});

export const LIST_WORD_VALUES = ['all', 'mine', 'today', 'todo', ...PAYMENT_STATUSES] as const;

/** `/pay list [words…] [currency] [payee] [page N]`: every filter given must hold. */
export const ListSchema = z.object({
  kind: z.literal('list'),
  words: z.array(z.enum(LIST_WORD_VALUES, 'COMMAND.UNKNOWN_FILTER')),
  currency: z.string().regex(/^[A-Z]{3}$/, 'COMMAND.UNKNOWN_FILTER').optional(),
  /** Typed text naming a payee, resolved against the directory by the handler. */
  payee: z.string().trim().min(1).max(100, 'COMMAND.NAME_TOO_LONG').optional(),
  page: z.number('COMMAND.BAD_PAGE').int('COMMAND.BAD_PAGE').min(1, 'COMMAND.BAD_PAGE').max(10_000, 'COMMAND.BAD_PAGE'),
});

export const BalanceSchema = z.object({
  kind: z.literal('balance'),
  filter: z.string().trim().min(1).max(100, 'COMMAND.NAME_TOO_LONG').optional(),
});

export const HelpSchema = z.object({ kind: z.literal('help') });
export const WhoamiSchema = z.object({ kind: z.literal('whoami') });
/** `/pay link <@someone | U… | ou_… | me> <handle> [setup code]`. */
export const LinkSchema = z.object({
  kind: z.literal('link'),
  /** A Slack member id, a Feishu open_id, or "me" (the speaker's own account). */
  target: z.string({ error: 'COMMAND.LINK_MISSING_TARGET' }).regex(/^(me|[UW][A-Z0-9]{2,}|ou_[A-Za-z0-9_]+)$/, 'COMMAND.LINK_BAD_TARGET'),
  handle: z.string({ error: 'COMMAND.LINK_MISSING_HANDLE' }).trim().min(1, 'COMMAND.LINK_MISSING_HANDLE').max(100, 'COMMAND.NAME_TOO_LONG'),
  code: z.string().max(100).optional(),
});

export type NewPaymentCommand = z.infer<typeof NewPaymentSchema>;
export type ListCommand = z.infer<typeof ListSchema>;
export type BalanceCommand = z.infer<typeof BalanceSchema>;
export type Command =
  | NewPaymentCommand
  | z.infer<typeof ShowSchema>
  | ListCommand
  | z.infer<typeof ApproveSchema>
  | z.infer<typeof RejectSchema>
  | z.infer<typeof CancelSchema>
  | BalanceCommand
  | z.infer<typeof HelpSchema>
  | z.infer<typeof WhoamiSchema>
  | LinkCommand;
export type LinkCommand = z.infer<typeof LinkSchema>;

/** Which usage line a parse error shows. */
export type UsageKey = 'pay' | Exclude<Command['kind'], 'help'>;


export type ParseError = { ok: false; code: string; params?: Record<string, string | number>; usage: UsageKey };
export type ParseResult = { ok: true; command: Command } | ParseError;

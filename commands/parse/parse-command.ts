import {
  ApproveSchema,
  BalanceSchema,
  CancelSchema,
  HelpSchema,
  LinkSchema,
  ListSchema,
  ParseResult,
  RejectSchema,
  ShowSchema,
  UsageKey,
  WhoamiSchema,
} from './command.schema';
import { isKnownCurrency } from '../../src/domain/money';
import { isPaymentStatus } from '../../src/domain/payment/payment-status';
import { LIST_WORDS, ListWord, SUB_COMMANDS, TOP_COMMANDS } from './keywords';
import { parseNewPayment } from './parse-new-payment';
import { splitLeadingWord } from './split-chinese';
import { Token, joinTokens, normaliseInput, tokenize } from './tokenize';
import { validate } from './validate';

// Longer than any real command; also bounds the work spent on hostile input.
const MAX_INPUT_LENGTH = 1000;

const fail = (code: string, usage: UsageKey, params?: Record<string, string | number>): ParseResult =>
  params ? { ok: false, code, params, usage } : { ok: false, code, usage };

/**
 * Text as typed in chat → a typed command, or a stable error code plus the usage
 * line to show. Pure: names of payees and accounts are resolved later, against
 * the directory.
 */
export function parseCommand(text: string): ParseResult {
  const input = normaliseInput(typeof text === 'string' ? text : '');
  if (input.length > MAX_INPUT_LENGTH) return fail('COMMAND.TOO_LONG', 'pay', { max: MAX_INPUT_LENGTH });
  const tokens = splitLeadingWord(tokenize(input), TOP_COMMANDS);
  if (tokens.length === 0) return fail('COMMAND.UNKNOWN_COMMAND', 'pay', { command: '' });
  const word = tokens[0].text;
  const top = TOP_COMMANDS.get(word.replace(/^\//, '').toLowerCase());
  if (!top) return fail('COMMAND.UNKNOWN_COMMAND', 'pay', { command: word });
  const rest = tokens.slice(1);
  if (top === 'help') return validate(HelpSchema, { kind: 'help' }, 'pay');
  if (top === 'balance') return parseBalance(rest);
  return parsePay(rest);
}

/**
 * `/pay <word> …` where the word is not one of ours: the word and the rest of the
 * text, so modules that contribute sub-commands (alerts) can be dispatched to.
 */
export function foreignSubcommand(text: string): { word: string; args: string } | undefined {
  const tokens = tokenize(normaliseInput(typeof text === 'string' ? text : '').slice(0, MAX_INPUT_LENGTH));
  if (tokens.length < 2 || tokens[1].quoted) return undefined;
  if (TOP_COMMANDS.get(tokens[0].text.replace(/^\//, '').toLowerCase()) !== 'pay') return undefined;
  const word = tokens[1].text.toLowerCase();
  // Quotes survive so the extra command's own parser can tell a quoted purpose from its keywords.
  const args = tokens.slice(2).map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' ');
  return SUB_COMMANDS.has(word) ? undefined : { word, args };
}

function parsePay(input: Token[]): ParseResult {
  const tokens = splitLeadingWord(input, SUB_COMMANDS);
  if (tokens.length === 0) return validate(HelpSchema, { kind: 'help' }, 'pay');
  const [first, ...args] = tokens;
  const sub = first.quoted ? undefined : SUB_COMMANDS.get(first.text.toLowerCase());
  switch (sub) {
    case 'help':
      return validate(HelpSchema, { kind: 'help' }, 'pay');
    case 'new':
      return parseNewPayment(args);
    case 'show':
      return parseReferenceOnly(args, ShowSchema, 'show');
    case 'approve':
      return parseReferenceOnly(args, ApproveSchema, 'approve');
    case 'cancel':
      return parseReferenceOnly(args, CancelSchema, 'cancel');
    case 'reject': {
      const [ref, ...reason] = args;
      const raw = { kind: 'reject', reference: ref?.text, reason: reason.length ? joinTokens(reason) : undefined };
      return validate(RejectSchema, raw, 'reject');
    }
    case 'list':
      return parseList(args);
    case 'balance':
      return parseBalance(args);
    case 'whoami':
      if (args.length > 0) return fail('COMMAND.TOO_MANY_ARGS', 'whoami', { extra: joinTokens(args) });
      return validate(WhoamiSchema, { kind: 'whoami' }, 'whoami');
    case 'link':
      return parseLink(args);
    default:
      return fail('COMMAND.UNKNOWN_SUBCOMMAND', 'pay', { word: first.text });
  }
}

function parseReferenceOnly(args: Token[], schema: typeof ShowSchema | typeof ApproveSchema | typeof CancelSchema, usage: UsageKey): ParseResult {
  if (args.length > 1) return fail('COMMAND.TOO_MANY_ARGS', usage, { extra: joinTokens(args.slice(1)) });
  return validate(schema, { kind: usage, reference: args[0]?.text }, usage);
}

// "page 2", "p 2", "页 2", "第2页", "第 2 页" at the end of the list command. English words
// need a space after them, or "pending" would read as "p ending".
const PAGE_SUFFIX = [/(?:^|\s)(?:page|p)\s+(\S+)$/i, /(?:^|\s)页\s*(\S+)$/, /(?:^|\s)第\s*(\S+?)\s*页$/];

// Words that only introduce the payee: "/pay list to acme", "/付款 列表 给 阿克米".
const PAYEE_INTRO = new Set(['to', 'payee', '给', '收款方']);
const LIST_KEYS = [...LIST_WORDS.keys()].sort((a, b) => b.length - a.length);
const CJK_START = /^[\u3400-\u9fff]/;

function parseList(args: Token[]): ParseResult {
  let rest = joinTokens(args).trim();
  let page: number = 1;
  for (const re of PAGE_SUFFIX) {
    const m = re.exec(rest);
    if (!m) continue;
    if (!/^\d{1,5}$/.test(m[1])) return fail('COMMAND.BAD_PAGE', 'list', { page: m[1] });
    page = Number(m[1]);
    rest = rest.slice(0, m.index).trim();
    break;
  }
  // Longest known phrase first ("pending approval", "待我审批"); Chinese phrases may be glued ("我的待审批今天").
  const words: ListWord[] = [];
  const other: string[] = [];
  let text = rest.toLowerCase().replace(/\s+/g, ' ');
  while ((text = text.trimStart())) {
    const key = LIST_KEYS.find((k) => text.startsWith(k) && (CJK_START.test(k) || text.length === k.length || text[k.length] === ' '));
    if (key) {
      words.push(LIST_WORDS.get(key)!);
      text = text.slice(key.length);
      continue;
    }
    const m = /^\S+/.exec(text)!;
    other.push(m[0]);
    text = text.slice(m[0].length);
  }
  const statuses = new Set(words.filter((w) => isPaymentStatus(w)));
  if (statuses.size > 1) return fail('COMMAND.LIST_TWO_STATUSES', 'list');
  let currency: string | undefined;
  const names: string[] = [];
  for (const w of other) {
    if (!currency && isKnownCurrency(w.toUpperCase())) currency = w.toUpperCase();
    else if (!(names.length === 0 && PAYEE_INTRO.has(w))) names.push(w);
  }
  // Names keep the case they were typed in (the lower-cased copy only served the keyword scan).
  const payee = names.length ? originalCase(rest, names) : undefined;
  return validate(ListSchema, { kind: 'list', words: [...new Set(words)], currency, payee, page }, 'list');
}

/** The typed words for the payee, with their original case. */
function originalCase(typed: string, lowered: string[]): string {
  const lowerTyped = typed.toLowerCase();
  const start = lowerTyped.indexOf(lowered[0]);
  const last = lowered[lowered.length - 1];
  const end = lowerTyped.lastIndexOf(last) + last.length;
  return start >= 0 && end > start ? typed.slice(start, end) : lowered.join(' ');
}

// Slack sends a mention as <@U123|name> (or <@U123>); "@U123" and the bare id work too. 我/me = the speaker.
const MENTION = /^<?@?([UW][A-Z0-9]{2,}|ou_[A-Za-z0-9_]+)(?:\|[^>]*)?>?$/;

function parseLink(args: Token[]): ParseResult {
  const [target, handle, code, ...extra] = args;
  if (extra.length) return fail('COMMAND.TOO_MANY_ARGS', 'link', { extra: joinTokens(extra) });
  const t = target?.text;
  const id = t === undefined ? undefined : ['me', '我', '自己'].includes(t.toLowerCase()) ? 'me' : MENTION.exec(t)?.[1] ?? t;
  return validate(LinkSchema, { kind: 'link', target: id, handle: handle?.text.replace(/^@/, ''), code: code?.text }, 'link');
}

function parseBalance(args: Token[]): ParseResult {
  const filter = args.length ? joinTokens(args) : undefined;
  return validate(BalanceSchema, { kind: 'balance', filter }, 'balance');
}
